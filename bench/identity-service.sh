#!/usr/bin/env bash
# The identity-service benchmark: builds the project and the benchmark, starts the platform with
# identity-service only (in the benchmark's JVM, through deploy/local's LocalPlatform), seeds
# 10,000 / 100,000 / 1,000,000 user identities, measures /user_identities/list and
# /user_identities/list_accessible_devices with wrk, stops everything, and writes
# bench/results/identity-service-<date>.md (and identity-service-latest.md). See bench/README.md.
#
#   bench/identity-service.sh [benchmark options]   e.g. --duration-seconds 60, --large-identities 0, --help
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

# exec: the benchmark's JVM takes this shell's place, so Ctrl-C (SIGINT) or SIGTERM reaches it and
# its shutdown hooks stop wrk and the platform.
# shellcheck disable=SC2086
exec "$java" -Xmx1g ${BENCH_JAVA_OPTS:-} \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "$root/bench/target/bench.jar" com.lockstep.bench.IdentityServiceBench \
  --project-root "$root" \
  --command "bench/identity-service.sh${*:+ $*}" \
  "$@"
