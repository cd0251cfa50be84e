#!/usr/bin/env bash
# The consistency benchmark: builds the project and the benchmark, starts the whole platform as the
# lost-phone benchmark does (four services, embedded PostgreSQL, a Kafka broker and the registry,
# through deploy/local's LocalPlatform in the benchmark's JVM), seeds its fleet through the API, and
# measures what read-your-writes across contexts costs, from each response's
# `Server-Timing: fence;dur=..., publication;dur=...` and the client's latency: the read fence on
# projection-backed reads and the publication barrier on writes, idle and under the lost-phone load
# at 100 phones/s; stops everything, and writes bench/results/consistency-<date>.md (and
# consistency-latest.md). See bench/README.md.
#
#   bench/consistency.sh [benchmark options]   e.g. --seconds 30, --load-rate 200, --max-load 1.5, --help
#
# Environment: SKIP_BUILD=1 skips the Maven builds; BENCH_JAVA_OPTS adds options for the benchmark's JVM.
source "$(dirname "${BASH_SOURCE[0]}")/benchmark-lib.sh"

build_benchmark
run_benchmark consistency ConsistencyBench "$@"
