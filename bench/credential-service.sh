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
source "$(dirname "${BASH_SOURCE[0]}")/benchmark-lib.sh"

build_benchmark
run_benchmark credential-service CredentialServiceBench "$@"
