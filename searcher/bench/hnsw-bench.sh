#!/usr/bin/env bash
# Recall@10 of HNSW search against exact search, and queries/s, in one run on the same seeded unit
# vectors and graph parameters: hnswlib compiled natively (-O3 -march=native), Lucene's raw graph
# search and clipsearch's query path, for each quantization asked for (quantized ones rescored on
# the float vectors). Every cell: index files read once into the page cache, passes until the rate
# settles (< 3% between two passes), then --reps timed passes (median, min-max).
#
#   searcher/bench/hnsw-bench.sh [--n 100000] [--dim 512] [--queries 1000] [--m 16] [--beam 100]
#                                [--candidates 10,20,40,80,160] [--threads 1] [--clusters 0]
#                                [--formats none,int8,int4,binary] [--oversample 1,2,4]
#                                [--paths hnsw,store] [--reps 5] [--hnswlib yes|no]
#                                [--faiss no|yes] [--writers 1] [--ram-buffer-mb 512] [--work DIR]
#
# --clusters 0 draws uniform random unit vectors (the worst case for any graph index); --clusters C
# draws them around C random centres (closer to real embeddings). --oversample applies to Lucene's
# raw search on quantized indexes; the query path uses the index's own oversampling.
#
# The indexes, the hnswlib graph and the vectors are kept in --work (default
# searcher/target/hnsw-bench) and reused. hnswlib is Debian's libhnswlib-dev (installed with apt
# when missing); FAISS (Debian's python3-faiss) only with --faiss yes.
# BENCH_HEAP sets the benchmark JVM's heap (default 8g; 12g for a million vectors).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
n=100000; dim=512; queries=1000; m=16; beam=100; candidates=10,20,40,80,160; threads=1; clusters=0
formats=none; oversample=1; paths=hnsw,store; reps=5; hnswlib=yes; faiss=no; extra=()
work="$root/searcher/target/hnsw-bench"
while [ $# -gt 0 ]; do
  case "$1" in
    --n) n="$2";; --dim) dim="$2";; --queries) queries="$2";; --m) m="$2";; --beam) beam="$2";;
    --candidates) candidates="$2";; --threads) threads="$2";; --work) work="$2";;
    --clusters) clusters="$2";; --formats) formats="$2";; --oversample) oversample="$2";;
    --paths) paths="$2";; --reps) reps="$2";; --hnswlib) hnswlib="$2";; --faiss) faiss="$2";;
    --writers) extra+=(--writers "$2");; --ram-buffer-mb) extra+=(--ram-buffer-mb "$2");;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
  shift 2
done
work="$work/n$n-d$dim$([ "$clusters" = 0 ] || echo "-c$clusters")"
mkdir -p "$work"

peer=()
if [ "$hnswlib" = yes ]; then
  if [ ! -f /usr/include/hnswlib/hnswlib.h ]; then
    apt-get install -y -qq libhnswlib-dev >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null && apt-get install -y -qq libhnswlib-dev >/dev/null; }
  fi
  g++ -O3 -march=native -fopenmp -o "$work/hnswlib_bench" "$root/searcher/bench/hnswlib_bench.cpp"
  peer=(--hnswlib "$work/hnswlib_bench")
fi

source "$root/scripts/env.sh"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo);" \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "load at start: $(uptime | sed 's/.*load average/load average/')"
# One reactor build, so that the indexer and models resolve to their target/classes.
"$root/mvnw" -o -q -B -f "$root/pom.xml" -pl searcher -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
classpath_file="$root/searcher/target/bench.classpath"
java "-Xmx${BENCH_HEAP:-8g}" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "$root/searcher/target/test-classes:$root/searcher/target/classes:$(cat "$classpath_file")" \
  dev.clipsearch.searcher.bench.HnswRecallBench --work "$work" --n "$n" --dim "$dim" \
  --queries "$queries" --m "$m" --beam "$beam" --candidates "$candidates" --threads "$threads" \
  --clusters "$clusters" --formats "$formats" --oversample "$oversample" --paths "$paths" \
  --reps "$reps" "${peer[@]}" "${extra[@]}" \
  2>&1 | grep --line-buffered -v 'WARNING: Using incubator modules'
echo "load at end: $(uptime | sed 's/.*load average/load average/')"
if [ "$faiss" = yes ]; then
  if /usr/bin/python3 -c 'import faiss' 2>/dev/null; then
    /usr/bin/python3 "$root/searcher/bench/faiss_hnsw.py" --work "$work" --dim "$dim" --m "$m" \
      --beam "$beam" --candidates "$candidates" --threads "$threads"
  else
    echo "FAISS skipped: install Debian's python3-faiss to compare" >&2
  fi
fi
