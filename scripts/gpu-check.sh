#!/usr/bin/env bash
# For whoever has an NVIDIA GPU: what clipsearch sees (doctor), the image encoder's images/s on
# CUDA at batch 32, 128 and 256 (one and two encoder sessions), and the end-to-end indexing rate on
# camera-sized (12 MP) JPEGs with --decode exact and --decode fast at the CUDA defaults (batch 128,
# two encoder sessions). Paste the whole output into an issue.
#
#   scripts/gpu-check.sh [--products 200] [--threads N] [--fp16-model DIR]
#
# fp16 is timed on a float16-compute twin of the random-weight model (generated on first use with
# generate_clip.py --fp16-compute), and with --fp16-model on a real fp16 export too (a directory
# with onnx/*_fp16.onnx, e.g. `clipsearch models fetch clip-vit-base-patch16 --variant fp16`).
#
# Needs the NVIDIA driver and the CUDA 12 + cuDNN 9 libraries on the library path (doctor says
# which are missing; `clipsearch gpu install` fetches them), Debian's python3-onnx and
# python3-numpy (the benchmarks generate a full-size random-weight ViT-B/32 on first use: real
# FLOPs, meaningless vectors). Stops at once, with exit code 1, on a machine without the driver
# or without a GPU.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
products=200
threads="$(nproc)"
fp16_model=""
while [ $# -gt 0 ]; do
  case "$1" in
    --products) products="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --fp16-model) fp16_model="$2"; shift 2 ;;
    *) echo "unknown option $1 (expected --products N, --threads N, --fp16-model DIR)" >&2; exit 2 ;;
  esac
done

# Before building or generating anything: is there a GPU at all?
if [ ! -e /proc/driver/nvidia/version ] && [ ! -e /dev/nvidiactl ]; then
  echo "gpu-check: no NVIDIA driver on this machine (neither /proc/driver/nvidia/version nor" \
    "/dev/nvidiactl exists), so there is no GPU to measure. Run this on a machine with an NVIDIA" \
    "GPU and its driver; 'clipsearch doctor' explains what clipsearch found here." >&2
  exit 1
fi
if command -v nvidia-smi > /dev/null && ! nvidia-smi -L 2>/dev/null | grep -q '^GPU '; then
  echo "gpu-check: the NVIDIA driver is installed but 'nvidia-smi -L' lists no GPU." >&2
  exit 1
fi

echo "== clipsearch doctor"
"$root/clipsearch" doctor
for sessions in 1 2; do
  echo "== encoder on CUDA, inference only, fp32, $sessions encoder session(s)"
  "$root/models/bench/encode-bench.sh" --device cuda --batches 32,128,256 --seconds 10 \
    --encoder-sessions "$sessions"
done
twin="${CLIPSEARCH_HOME:-$HOME/.cache/clipsearch}/test-models/vit-b-32-random-fp16-compute"
if [ ! -d "$twin/hf" ]; then
  echo "generating the full-size model's float16 twin into $twin (a few minutes)" >&2
  mkdir -p "$(dirname "$twin")"
  rm -rf "$twin.tmp.$$"
  /usr/bin/python3 "$root/models/generator/generate_clip.py" --size full --layouts hf \
    --variants fp32,fp16 --fp16-compute \
    --vocab "${CLIP_VOCAB:-$root/../shared/models/clip-vocab/bpe_simple_vocab_16e6.txt.gz}" \
    --out "$twin.tmp.$$"
  mv -T "$twin.tmp.$$" "$twin"
fi
echo "== encoder on CUDA, inference only, fp16 (random-weight float16 twin), 2 encoder sessions"
"$root/models/bench/encode-bench.sh" --device cuda --batches 32,128,256 --seconds 10 \
  --encoder-sessions 2 --precision fp16 --model "$twin/hf"
if [ -n "$fp16_model" ]; then
  echo "== encoder on CUDA, inference only, fp16 ($fp16_model), 2 encoder sessions"
  "$root/models/bench/encode-bench.sh" --device cuda --batches 32,128,256 --seconds 10 \
    --encoder-sessions 2 --precision fp16 --model "$fp16_model"
fi
for mode in exact fast; do
  echo "== indexing $products 4000 x 3000 JPEGs, --decode $mode, $threads decode threads," \
    "batch 128, 2 encoder sessions"
  "$root/indexer/bench/index-bench.sh" --device cuda --products "$products" --threads "$threads" \
    --batch 128 --encoder-sessions 2 --width 4000 --height 3000 --decode "$mode"
done
