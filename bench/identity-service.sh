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
source "$(dirname "${BASH_SOURCE[0]}")/benchmark-lib.sh"

install_wrk
build_benchmark
run_benchmark identity-service IdentityServiceBench "$@"
