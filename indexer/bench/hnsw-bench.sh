#!/usr/bin/env bash
# HNSW build rate with precomputed vectors: seeded random unit vectors written through the
# indexer's CatalogIndex (block join, one image per product), for each quantization; prints a
# Markdown table (add rate, commit, force-merge, size, recall@10 against brute force).
#
#   indexer/bench/hnsw-bench.sh [--vectors 100000] [--dim 512] [--m 16] [--beam 100]
#                               [--quantization none,int8,int4] [--queries 50] [--candidates 100]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/env.sh"
classpath_file="$root/indexer/target/bench.classpath"
# One reactor run: modules resolve to their target/ folders (nothing is installed into ~/.m2);
# the indexer, built last, writes the file last.
"$root/mvnw" -q -B -f "$root/pom.xml" -pl indexer -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
java -Xmx3g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "$root/indexer/target/test-classes:$root/indexer/target/classes:$(cat "$classpath_file")" \
  dev.clipsearch.indexer.bench.HnswBuildBench --dir "$work" "$@"
