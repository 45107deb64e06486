#!/usr/bin/env bash
# Load generator: the server in-process on a loopback port over a generated index of --n products
# (seeded random unit vectors), closed-loop HTTP clients per query type and concurrency level;
# prints p50/p99 latency and throughput. Bounded: --seconds per cell.
#
#   searcher/bench/load-bench.sh [--n 100000] [--dim 512] [--concurrency 1,4,16] [--seconds 10]
#                                [--types text,hybrid,filtered,image,similar] [--threads 2]
#
# Queries are encoded by a hashing stand-in (no inference cost): the numbers are the server's and
# the index's. The generated index is kept in searcher/target/load-bench and reused.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/env.sh"
"$root/mvnw" -q -B -f "$root/pom.xml" -pl searcher -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx6g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$root/searcher/target/test-classes:$root/searcher/target/classes:$(cat "$root/searcher/target/bench.classpath")" \
  dev.clipsearch.searcher.bench.LoadBench --work "$root/searcher/target/load-bench" "$@"
