#!/usr/bin/env bash
# The credential-service benchmark: builds the project and the benchmark, starts the platform with
# identity-service, phone-service, device-gateway and credential-service (in the benchmark's JVM,
# through deploy/local's LocalPlatform), seeds identities, mobile keys and phones, measures the
# lost-phone latency (deactivate -> last acs_credential.deleted on Kafka) and the revocation
# consumer's throughput on a backlog of phone.deactivated, stops everything, and writes
# bench/results/credential-service-<date>.md (and credential-service-latest.md). See bench/README.md.
#
#   bench/credential-service.sh [benchmark options]   e.g. --backlog-phones 20000, --max-load 1.5, --help
#
# Environment: SKIP_BUILD=1 skips the Maven builds; BENCH_JAVA_OPTS adds options for the benchmark's JVM.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

if [ "${SKIP_BUILD:-0}" != "1" ]; then
  echo "Building the project (./mvnw -q -DskipTests install)"
  ./mvnw -q -DskipTests install
  echo "Building the benchmark (./mvnw -q -f bench/pom.xml -DskipTests package)"
  ./mvnw -q -f bench/pom.xml -DskipTests package
fi

java="java"
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java="$JAVA_HOME/bin/java"
fi

# The benchmark runs from a copy of its jar and libraries: other benchmarks in this module rebuild
# bench/target/bench.jar, which would pull classes from under a running JVM.
run="$root/bench/target/credential-service-run"
rm -rf "$run"
mkdir -p "$run"
cp "$root/bench/target/bench.jar" "$run/"
cp -r "$root/bench/target/lib" "$run/lib"

# exec: the benchmark's JVM takes this shell's place, so Ctrl-C (SIGINT) or SIGTERM reaches it and
# its shutdown hooks stop the services, the registry, PostgreSQL and Kafka. A run killed with
# SIGKILL leaves them running: the next run stops them when it reopens bench/target/credential-platform.
# shellcheck disable=SC2086
exec "$java" -Xmx1g ${BENCH_JAVA_OPTS:-} \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "$run/bench.jar" com.lockstep.bench.CredentialServiceBench \
  --project-root "$root" \
  --command "bench/credential-service.sh${*:+ $*}" \
  "$@"
