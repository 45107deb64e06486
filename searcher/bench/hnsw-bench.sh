#!/usr/bin/env bash
# Recall@10 of HNSW search against exact search, and queries/s, for clipsearch's Lucene index and
# FAISS's HNSW on the same seeded random unit vectors, same graph parameters, same beam sweep,
# measured one after the other in one run.
#
#   searcher/bench/hnsw-bench.sh [--n 100000] [--dim 512] [--queries 1000] [--m 16] [--beam 100]
#                                [--candidates 10,20,40,80,160] [--threads 1] [--clusters 0]
#                                [--work DIR]
#
# --clusters 0 draws uniform random unit vectors (the worst case for any graph index); --clusters C
# draws them around C random centres (closer to real embeddings).
#
# The index and vectors are kept in --work (default searcher/target/hnsw-bench) and reused.
# FAISS comes from Debian's python3-faiss (apt-get install python3-faiss); it is skipped when
# missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
n=100000; dim=512; queries=1000; m=16; beam=100; candidates=10,20,40,80,160; threads=1; clusters=0
work="$root/searcher/target/hnsw-bench"
while [ $# -gt 0 ]; do
  case "$1" in
    --n) n="$2";; --dim) dim="$2";; --queries) queries="$2";; --m) m="$2";; --beam) beam="$2";;
    --candidates) candidates="$2";; --threads) threads="$2";; --work) work="$2";;
    --clusters) clusters="$2";;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
  shift 2
done
work="$work/n$n-d$dim$([ "$clusters" = 0 ] || echo "-c$clusters")"

source "$root/scripts/env.sh"
# One reactor build, so that the indexer and models resolve to their target/classes.
"$root/mvnw" -q -B -f "$root/pom.xml" -pl searcher -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
classpath_file="$root/searcher/target/bench.classpath"
java -Xmx8g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "$root/searcher/target/test-classes:$root/searcher/target/classes:$(cat "$classpath_file")" \
  dev.clipsearch.searcher.bench.HnswRecallBench --work "$work" --n "$n" --dim "$dim" \
  --queries "$queries" --m "$m" --beam "$beam" --candidates "$candidates" --threads "$threads" \
  --clusters "$clusters" \
  2>&1 | grep -v 'WARNING: Using incubator modules'
if /usr/bin/python3 -c 'import faiss' 2>/dev/null; then
  /usr/bin/python3 "$root/searcher/bench/faiss_hnsw.py" --work "$work" --dim "$dim" --m "$m" \
    --beam "$beam" --candidates "$candidates" --threads "$threads"
else
  echo "FAISS skipped: install Debian's python3-faiss to compare" >&2
fi
