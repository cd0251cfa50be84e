#!/usr/bin/env bash
# The device-gateway benchmark: builds the project and the benchmark, installs Seam's fake
# (@seamapi/fake-seam-connect, pinned in bench/fake-seam-connect/package-lock.json), starts the
# platform with identity-service and device-gateway (in the benchmark's JVM, through deploy/local's
# LocalPlatform) and the fake beside it, measures /devices/get and /devices/list on both with wrk,
# stops everything, and writes bench/results/device-gateway-<date>.md (and device-gateway-latest.md).
# See bench/README.md.
#
#   bench/device-gateway.sh [benchmark options]     e.g. --duration-seconds 60, --max-load 1.5, --help
#
# Environment: SKIP_BUILD=1 skips the Maven builds and npm; BENCH_JAVA_OPTS adds options for the benchmark's JVM.
source "$(dirname "${BASH_SOURCE[0]}")/benchmark-lib.sh"

install_wrk
build_benchmark
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  echo "Installing Seam's fake (npm ci in bench/fake-seam-connect)"
  (cd bench/fake-seam-connect && npm ci --no-audit --no-fund --loglevel=error)
fi
run_benchmark device-gateway DeviceGatewayBench "$@"
