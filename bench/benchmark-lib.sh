# What the benchmark scripts share; sourced by them, not run. It moves to the project's root.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# wrk, from Debian, if it is not there yet.
install_wrk() {
  if ! command -v wrk >/dev/null 2>&1; then
    echo "Installing wrk (apt-get)"
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
  fi
}

# The services' quarkus-run.jar, deploy/local and the benchmark's jar; SKIP_BUILD=1 skips them.
build_benchmark() {
  if [ "${SKIP_BUILD:-0}" != "1" ]; then
    echo "Building the project (./mvnw -q -DskipTests install)"
    ./mvnw -q -DskipTests install
    echo "Building the benchmark (./mvnw -q -f bench/pom.xml -DskipTests package)"
    ./mvnw -q -f bench/pom.xml -DskipTests package
  fi
}

# run_benchmark NAME MAIN_CLASS [benchmark options]: runs MAIN_CLASS from a copy of the benchmark's
# jar and libraries in bench/target/NAME-run (another benchmark may rebuild bench/target/bench.jar
# meanwhile, which would pull classes from under a running JVM). exec: the benchmark's JVM takes the
# script's place, so Ctrl-C (SIGINT) or SIGTERM reaches it and its shutdown hooks stop what it
# started; after a SIGKILL, the next run stops the leftovers when it reopens its data folder.
run_benchmark() {
  local name="$1" main="$2"
  shift 2
  local java="java"
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    java="$JAVA_HOME/bin/java"
  fi
  local run="$root/bench/target/$name-run"
  rm -rf "$run"
  mkdir -p "$run"
  cp "$root/bench/target/bench.jar" "$run/"
  cp -r "$root/bench/target/lib" "$run/lib"
  # shellcheck disable=SC2086
  exec "$java" -Xmx1g ${BENCH_JAVA_OPTS:-} \
    -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -cp "$run/bench.jar" "com.lockstep.bench.$main" \
    --project-root "$root" \
    --command "bench/$name.sh${*:+ $*}" \
    "$@"
}
