#!/usr/bin/env bash
# The scale-out benchmark: the same seeded vectors and queries (hnsw-bench.sh's clustered
# workload) on the embedded Lucene index and on a local SolrCloud of --shards nodes, one after the
# other in one run. Prints recall@10 against exact search, queries/s, p50 and p99 latency for each,
# and how long each took to index; see docs/scale-out.md.
#
#   searcher/bench/scale-out-bench.sh [--n 100000] [--dim 512] [--queries 1000] [--clusters 1000]
#                                     [--candidates 10,20,50,100] [--shards 2] [--heap 2g]
#                                     [--batch 500] [--m 16] [--beam 100] [--work DIR]
#                                     [--solr-commits HARD_MS,SOFT_MS] [--merge true]
#
# --solr-commits sets the collection's automatic commit intervals before the feed (15000,2000 were
# the config set's defaults before 60000,60000); --merge true merges each shard to one segment
# after it. The segments per shard are printed after the feed (and the merge).
#
# The embedded index is kept in --work (default searcher/target/scale-out-bench) and reused by a
# later run with the same vectors and HNSW settings; the SolrCloud (nodes from solr-local/target,
# ZooKeeper, the collection) is started, fed and stopped on every run, its files deleted after.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$root/searcher/target/scale-out-bench"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --work) work="$2";;
    --n|--dim|--queries|--clusters|--candidates|--shards|--heap|--batch|--m|--beam|--seed|--port|--solr-commits|--merge)
      args+=("$1" "$2");;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
  shift 2
done

source "$root/scripts/env.sh"
# One reactor build: the searcher and indexer resolve to their target/classes, and -am builds
# solr-local (its node class path in solr-local/target/solr-local-lib) before them.
"$root/mvnw" -q -B -f "$root/pom.xml" -pl searcher -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
classpath_file="$root/searcher/target/bench.classpath"
java -Xmx6g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "$root/searcher/target/test-classes:$root/searcher/target/classes:$(cat "$classpath_file")" \
  dev.clipsearch.searcher.bench.ScaleOutBench --work "$work" \
  --runtime "$root/solr-local/target" "${args[@]}" \
  2>&1 | grep -v 'WARNING: Using incubator modules'
