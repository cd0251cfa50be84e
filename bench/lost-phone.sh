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
source "$(dirname "${BASH_SOURCE[0]}")/benchmark-lib.sh"

build_benchmark
run_benchmark lost-phone LostPhoneBench "$@"
