#!/usr/bin/env bash
# Trains the offline model (clipsearch-emoji-mini) from scratch and installs it in
# models/offline/clipsearch-emoji-mini/; also trains the held-out run the evaluation uses.
#
#   models/training/train.sh [WORK_DIR]      (default: models/target/offline-training)
#
# Needs Debian's python3-torch, python3-onnx, python3-numpy, python3-pil (see README.md) and the
# npm packages of the sample catalog (fetched and verified by `clipsearch sample-data`).
# Seeded (same machine and library versions should give the same model; not verified bit for bit).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${1:-$root/models/target/offline-training}"
py=/usr/bin/python3
mkdir -p "$work"
start=$(date +%s)

# 1. the training set: every emoji with an image, in three styles (Java: sample-data module)
"$root/clipsearch" sample-data training-set --out "$work/data"
# 2. captions, and a text-only model for the Java runtime
"$py" "$here/prepare.py" --data "$work/data" --work "$work"
# 3. the frozen text tower's caption embeddings, computed by the project's own runtime
"$root/clipsearch" inspect embed-batch --model "$work/bootstrap" \
  --texts "$work/captions.txt" --out "$work/captions.f32"
# 4. the shipped model: every concept, every style
"$py" "$here/train.py" --data "$work/data" --work "$work" --out "$work/model" --steps 700 \
  2>&1 | tee "$work/model.log"
# 5. the held-out run: without the twemoji style and without the held-out tenth of the concepts
"$py" "$here/train.py" --data "$work/data" --work "$work" --out "$work/model-held-out" --steps 400 \
  --exclude-style twemoji --exclude-held-out-concepts 2>&1 | tee "$work/model-held-out.log"

dest="$root/models/offline/clipsearch-emoji-mini"
mkdir -p "$dest"
cp "$work/model/image.onnx" "$work/model/text-projection.f32" "$work/model/clipsearch-model.json" \
  "$work/model/training.json" "$dest/"
echo "installed the model in $dest; training took $(( $(date +%s) - start )) s"
