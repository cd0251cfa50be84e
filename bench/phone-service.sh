#!/usr/bin/env bash
# The phone-service benchmark: builds the project and the benchmark, starts the whole platform
# (in the benchmark's JVM, through deploy/local's LocalPlatform), measures, stops everything, and
# writes bench/results/phone-service-<date>.md (and phone-service-latest.md). See bench/README.md.
#
#   bench/phone-service.sh [benchmark options]      e.g. --duration-seconds 60, --max-load 1.5, --help
#
# Environment: SKIP_BUILD=1 skips the Maven builds; BENCH_JAVA_OPTS adds options for the benchmark's JVM.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

# wrk, from Debian, if it is not there yet.
if ! command -v wrk >/dev/null 2>&1; then
  echo "Installing wrk (apt-get)"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
fi

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
run="$root/bench/target/phone-service-run"
rm -rf "$run"
mkdir -p "$run"
cp "$root/bench/target/bench.jar" "$run/"
cp -r "$root/bench/target/lib" "$run/lib"

# exec: the benchmark's JVM takes this shell's place, so Ctrl-C (SIGINT) or SIGTERM reaches it and
# its shutdown hooks stop wrk, the services, the registry, PostgreSQL and Kafka. A run killed with
# SIGKILL leaves them running: the next run stops them when it reopens bench/target/platform.
# shellcheck disable=SC2086
exec "$java" -Xmx1g ${BENCH_JAVA_OPTS:-} \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "$run/bench.jar" com.lockstep.bench.PhoneServiceBench \
  --project-root "$root" \
  --command "bench/phone-service.sh${*:+ $*}" \
  "$@"
