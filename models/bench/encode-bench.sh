#!/usr/bin/env bash
# Encode throughput of a full-size CLIP ViT-B/32 with random weights (real FLOPs) on this
# machine: images/s and texts/s for inference alone at batch sizes 1, 8 and 32.
#
#   models/bench/encode-bench.sh [--device cpu|cuda] [--threads 2] [--batches 1,8,32] [--seconds 10]
#                                [--encoder-sessions 1] [--precision fp32|fp16]
#
# The model (about 600 MB, never committed) is generated on first use into
# ${CLIPSEARCH_HOME:-~/.cache/clipsearch}/test-models/vit-b-32-random. Generating it needs
# Debian's python3-onnx and python3-numpy and CLIP's vocabulary (CLIP_VOCAB, by default the
# shared fixtures' copy beside the checkout).
#
# With --arch siglip (first argument) it times a full-size SigLIP base twin instead (ViT-B/16 at
# 224, 768-d, 64 text tokens; about 800 MB, written by models/generator/generate_siglip.py into
# .../test-models/siglip-base-random).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${CLIPSEARCH_HOME:-$HOME/.cache/clipsearch}/test-models/vit-b-32-random"
vocab="${CLIP_VOCAB:-$root/../shared/models/clip-vocab/bpe_simple_vocab_16e6.txt.gz}"
model_dir="$cache/hf"

if [ "${1:-}" = "--arch" ] && [ "${2:-}" = "siglip" ]; then
  shift 2
  cache="${CLIPSEARCH_HOME:-$HOME/.cache/clipsearch}/test-models/siglip-base-random"
  model_dir="$cache"
  if [ ! -d "$cache" ]; then
    echo "generating the full-size SigLIP twin into $cache (a few minutes)" >&2
    mkdir -p "$(dirname "$cache")"
    tmp="$cache.tmp.$$"
    rm -rf "$tmp"
    /usr/bin/python3 "$root/models/generator/generate_siglip.py" --size full --out "$tmp"
    mv -T "$tmp" "$cache"
  fi
fi

if [ "$model_dir" = "$cache/hf" ] && [ ! -d "$cache/hf" ]; then
  echo "generating the full-size model into $cache (a few minutes)" >&2
  mkdir -p "$(dirname "$cache")"
  tmp="$cache.tmp.$$"
  rm -rf "$tmp"
  /usr/bin/python3 "$root/models/generator/generate_clip.py" --size full --layouts hf \
    --vocab "$vocab" --out "$tmp"
  mv -T "$tmp" "$cache"
fi

source "$root/scripts/env.sh"
classpath_file="$root/models/target/bench.classpath"
# -am on both goals: the sibling modules resolve from the reactor, never from ~/.m2
"$root/mvnw" -q -B -f "$root/pom.xml" -pl models -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
exec java --enable-native-access=ALL-UNNAMED \
  -cp "$root/models/target/test-classes:$root/models/target/classes:$(cat "$classpath_file")" \
  dev.clipsearch.models.bench.EncodeBench --model "$model_dir" --threads 2 "$@"
