#!/usr/bin/env bash
# For whoever has an NVIDIA GPU: what clipsearch sees (doctor), the image encoder's images/s on
# CUDA at batch 32, 128 and 256, and the end-to-end indexing rate on camera-sized (12 MP) JPEGs with
# --decode exact and --decode fast. Paste the whole output into an issue.
#
#   scripts/gpu-check.sh [--products 200] [--threads N]
#
# Needs the NVIDIA driver and the CUDA 12 + cuDNN 9 libraries on the library path (doctor says
# which are missing), Debian's python3-onnx and python3-numpy (the benchmarks generate a full-size
# random-weight ViT-B/32 on first use: real FLOPs, meaningless vectors).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
products=200
threads="$(nproc)"
while [ $# -gt 0 ]; do
  case "$1" in
    --products) products="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    *) echo "unknown option $1 (expected --products N, --threads N)" >&2; exit 2 ;;
  esac
done
echo "== clipsearch doctor"
"$root/clipsearch" doctor
echo "== encoder on CUDA, inference only"
"$root/models/bench/encode-bench.sh" --device cuda --batches 32,128,256 --seconds 10
for mode in exact fast; do
  echo "== indexing $products 4000 x 3000 JPEGs, --decode $mode, $threads decode threads, batch 128"
  "$root/indexer/bench/index-bench.sh" --device cuda --products "$products" --threads "$threads" \
    --batch 128 --width 4000 --height 3000 --decode "$mode"
done
