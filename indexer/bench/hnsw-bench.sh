#!/usr/bin/env bash
# HNSW build rate with precomputed vectors, in one run: seeded clustered unit vectors written
# through the indexer's CatalogIndex as its bulk path writes them (writer threads, commits every
# 5000 products, then the pending merges, then a force merge to one segment), each stage timed and
# searched (recall@10 against brute force, single-thread queries/s); then hnswlib, compiled natively,
# builds its graph on the same vector files on one thread: hnswlib_build_cpu.cpp (beside this
# script) times the build in wall and CPU seconds, and ../shared/bench/hnswlib-peer.sh builds again
# and searches with the same candidates. Prints the tables and the load average around each. On a
# machine other jobs share, compare the per-CPU-second rates: wall rates there measure the load.
#
#   indexer/bench/hnsw-bench.sh [--vectors 100000] [--dim 512] [--m 16] [--beam 100]
#                               [--quantization none] [--writers 1,2] [--commit-every 5000]
#                               [--force-merge yes|no] [--queries 200] [--candidates 20,40]
#                               [--hnswlib yes|no]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
args=(); hnswlib=yes; dim=512; m=16; beam=100; candidates=20,40
while [ $# -gt 0 ]; do
  case "$1" in
    --hnswlib) hnswlib="$2";;
    --dim) dim="$2"; args+=("$1" "$2");;
    --m) m="$2"; args+=("$1" "$2");;
    --beam) beam="$2"; args+=("$1" "$2");;
    --candidates) candidates="$2"; args+=("$1" "$2");;
    *) args+=("$1" "$2");;
  esac
  shift 2
done
source "$root/scripts/env.sh"
classpath_file="$root/indexer/target/bench.classpath"
# One reactor run: modules resolve to their target/ folders (nothing is installed into ~/.m2);
# the indexer, built last, writes the file last.
"$root/mvnw" -o -q -B -f "$root/pom.xml" -pl indexer -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# a copy of the classes, so that a build during the run does not change them under it
mkdir -p "$work/classes"
cp -r "$root/indexer/target/classes" "$work/classes/main"
cp -r "$root/indexer/target/test-classes" "$work/classes/test"
echo "machine: $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx4g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "$work/classes/test:$work/classes/main:$(cat "$classpath_file")" \
  dev.clipsearch.indexer.bench.HnswBuildBench --dir "$work/indexes" --export "$work/vectors" \
  "${args[@]}" 2>&1 | grep --line-buffered -v 'WARNING: Using incubator modules\|PanamaVectorization\|vector incubator API'
echo "load after clipsearch: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$hnswlib" = yes ]; then
  rm -rf "$work/indexes"
  [ -f /usr/include/hnswlib/hnswlib.h ] \
    || { apt-get update -qq >/dev/null; apt-get install -y -qq libhnswlib-dev >/dev/null; }
  g++ -O3 -march=native -o "$work/hnswlib_build_cpu" "$root/indexer/bench/hnswlib_build_cpu.cpp"
  "$work/hnswlib_build_cpu" "$work/vectors" "$dim" "$m" "$beam"
  echo "load after the hnswlib build: $(cut -d' ' -f1-3 /proc/loadavg)"
  "$root/../shared/bench/hnswlib-peer.sh" "$work/vectors" "$dim" "$m" "$beam" "$candidates"
  echo "load after hnswlib: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
