#!/usr/bin/env bash
# The lost-phone benchmark: builds the project and the benchmark, starts the whole platform
# (identity-service, phone-service, device-gateway, credential-service, embedded PostgreSQL, a Kafka
# broker and the registry, through deploy/local's LocalPlatform in the benchmark's JVM), seeds
# identities with mobile keys and phones, then measures on the same broker the raw Kafka round trip
# of a plain client and the lost-phone latency end to end (deactivate sent -> last
# acs_credential.deleted read) at 100 phones/s and at rising rates, every service's RSS under that
# load and its start time, stops everything, and writes bench/results/lost-phone-<date>.md (and
# lost-phone-latest.md). See bench/README.md.
#
#   bench/lost-phone.sh [benchmark options]   e.g. --rates 100,300,500, --max-load 1.5, --help
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
run="$root/bench/target/lost-phone-run"
rm -rf "$run"
mkdir -p "$run"
cp "$root/bench/target/bench.jar" "$run/"
cp -r "$root/bench/target/lib" "$run/lib"

# exec: the benchmark's JVM takes this shell's place, so Ctrl-C (SIGINT) or SIGTERM reaches it and
# its shutdown hooks stop the services, the registry, PostgreSQL and Kafka. A run killed with
# SIGKILL leaves them running: the next run stops them when it reopens bench/target/lost-phone-platform.
# shellcheck disable=SC2086
exec "$java" -Xmx1g ${BENCH_JAVA_OPTS:-} \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "$run/bench.jar" com.lockstep.bench.LostPhoneBench \
  --project-root "$root" \
  --command "bench/lost-phone.sh${*:+ $*}" \
  "$@"
