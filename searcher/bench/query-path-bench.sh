#!/usr/bin/env bash
# The query path's cost over Lucene's raw graph search (raw KNN query, StoreView.knn, and knn plus
# a response page's stored fields and facets), on the index and queries hnsw-bench.sh builds for
# the same --n/--dim/--clusters/--m/--beam (run that once first). Prints queries/s and thread CPU
# per query, median of --rounds interleaved rounds with their spread.
#
#   searcher/bench/query-path-bench.sh [--n 100000] [--dim 512] [--clusters 1000] [--m 16]
#       [--beam 100] [--queries 500] [--candidates 10,100] [--rounds 5] [--warmup 2]
#       [--only raw|knn|page --seconds 60]     # one path for a profiler (JAVA_OPTS)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
n=100000; dim=512; clusters=1000; rest=()
work="$root/searcher/target/hnsw-bench"
while [ $# -gt 0 ]; do
  case "$1" in
    --n) n="$2";; --dim) dim="$2";; --clusters) clusters="$2";; --work) work="$2";;
    *) rest+=("$1" "$2");;
  esac
  shift 2
done
work="$work/n$n-d$dim$([ "$clusters" = 0 ] || echo "-c$clusters")"
source "$root/scripts/env.sh"
"$root/mvnw" -q -B -f "$root/pom.xml" -pl searcher -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
java -Xmx4g ${JAVA_OPTS:-} --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "$root/searcher/target/test-classes:$root/searcher/target/classes:$(cat "$root/searcher/target/bench.classpath")" \
  dev.clipsearch.searcher.bench.QueryPathBench --work "$work" --dim "$dim" --clusters "$clusters" \
  "${rest[@]}" 2>&1 | grep -v 'WARNING: Using incubator modules'
