#!/usr/bin/env bash
# Evaluates the two runs of train.sh through the Java runtime and prints the tables.
#
#   models/training/evaluate.sh [WORK_DIR]   (default: models/target/offline-training)
#
# Every vector is computed by `clipsearch inspect embed-batch` (the project's tokenizer, image
# decoding and preprocessing, ONNX Runtime); evaluate.py only ranks them.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${1:-$root/models/target/offline-training}"
py=/usr/bin/python3
eval="$work/eval"
"$py" "$here/evaluate.py" lists --data "$work/data" --eval "$eval"
for run in model model-held-out; do
  "$root/clipsearch" inspect embed-batch --model "$work/$run" --texts "$eval/queries.txt" \
    --out "$eval/$run-queries.f32"
  "$root/clipsearch" inspect embed-batch --model "$work/$run" \
    --images "$work/data/parity-images.txt" --out "$eval/$run-parity.f32"
  for style in fluent-3d noto twemoji; do
    "$root/clipsearch" inspect embed-batch --model "$work/$run" \
      --images "$work/data/eval-images-$style.txt" --out "$eval/$run-$style.f32"
  done
done 2> "$eval/embed.log"
"$py" "$here/evaluate.py" report --data "$work/data" --eval "$eval"
