#!/usr/bin/env bash
# The phone-service benchmark: builds the project and the benchmark, starts the whole platform
# (in the benchmark's JVM, through deploy/local's LocalPlatform), measures, stops everything, and
# writes bench/results/phone-service-<date>.md (and phone-service-latest.md). See bench/README.md.
#
#   bench/phone-service.sh [benchmark options]      e.g. --duration-seconds 60, --max-load 1.5, --help
#
# Environment: SKIP_BUILD=1 skips the Maven builds; BENCH_JAVA_OPTS adds options for the benchmark's JVM.
source "$(dirname "${BASH_SOURCE[0]}")/benchmark-lib.sh"

install_wrk
build_benchmark
run_benchmark phone-service PhoneServiceBench "$@"
