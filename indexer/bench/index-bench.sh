#!/usr/bin/env bash
# End-to-end indexing throughput (products/s) with the full-size generated CLIP ViT-B/32 (random
# weights, real FLOPs) on this machine, and where the time goes (decode, encode, write, commit).
# A seeded catalog of product photos is generated first (not timed), indexed, then indexed again
# unchanged (the incremental no-op rerun).
#
#   indexer/bench/index-bench.sh [--products 300] [--images 1] [--threads 2] [--batch 32]
#                                [--model-threads 0] [--device cpu|cuda] [--width 800 --height 600]
#                                [--decode exact|fast] [--encoder-sessions 1] [--precision fp32|fp16]
#
# The model (about 600 MB, never committed) is generated on first use into
# ${CLIPSEARCH_HOME:-~/.cache/clipsearch}/test-models/vit-b-32-random, as models/bench does.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${CLIPSEARCH_HOME:-$HOME/.cache/clipsearch}/test-models/vit-b-32-random"
vocab="${CLIP_VOCAB:-$root/../shared/models/clip-vocab/bpe_simple_vocab_16e6.txt.gz}"

if [ ! -d "$cache/hf" ]; then
  echo "generating the full-size model into $cache (a few minutes)" >&2
  mkdir -p "$(dirname "$cache")"
  tmp="$cache.tmp.$$"
  rm -rf "$tmp"
  /usr/bin/python3 "$root/models/generator/generate_clip.py" --size full --layouts hf \
    --vocab "$vocab" --out "$tmp"
  mv -T "$tmp" "$cache"
fi

source "$root/scripts/env.sh"
classpath_file="$root/indexer/target/bench.classpath"
"$root/mvnw" -q -B -f "$root/pom.xml" -pl indexer -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
java -Xmx3g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "$root/indexer/target/test-classes:$root/indexer/target/classes:$(cat "$classpath_file")" \
  dev.clipsearch.indexer.bench.IndexBench --model "$cache/hf" --dir "$work" "$@"
