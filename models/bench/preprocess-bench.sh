#!/usr/bin/env bash
# Preprocessing throughput on one core: this project's Java pipeline (ImageDecoder +
# ClipImagePreprocessor) beside the reference (PIL + numpy, models/reference/), on the same
# images, single-threaded, in one run. Prints images/s per CPU-second of the measuring thread
# (what one core does, whatever else the machine runs) and per wall-clock second.
#
#   models/bench/preprocess-bench.sh [IMAGE_DIR] [SECONDS_PER_MEASURE]
#
# IMAGE_DIR defaults to ../shared/fixtures/clip-reference/images; BENCH_CPU (default 0) is the
# core both sides are pinned to with taskset when it is available.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
source scripts/env.sh
images="${1:-$root/../shared/fixtures/clip-reference/images}"
seconds="${2:-5}"
python=/usr/bin/python3 # Debian's, with python3-pil and python3-numpy

./mvnw -q -B -pl models -am test-compile
./mvnw -q -B -pl models dependency:build-classpath \
  -Dmdep.outputFile="$root/models/target/bench.classpath" -Dmdep.includeScope=test >/dev/null
classpath="models/target/test-classes:models/target/classes:$(cat models/target/bench.classpath)"

pin=()
if command -v taskset >/dev/null; then
  pin=(taskset -c "${BENCH_CPU:-0}")
fi

echo "images: $images ($(ls "$images" | wc -l) files), ${seconds}s of CPU per measure, pinned: ${pin[*]:-no}"
java_out="$("${pin[@]}" java -Xmx1g -cp "$classpath" dev.clipsearch.models.bench.PreprocessBench "$images" "$seconds")"
pil_out="$("${pin[@]}" "$python" models/reference/bench_preprocess_pil.py "$images" "$seconds")"

awk -v java="$java_out" -v pil="$pil_out" 'BEGIN {
  n = split(java, jl, "\n"); for (i = 1; i <= n; i++) { split(jl[i], f, " "); jc[f[1]] = f[2]; jw[f[1]] = f[3] }
  n = split(pil, pl, "\n"); for (i = 1; i <= n; i++) { split(pl[i], f, " "); pc[f[1]] = f[2]; pw[f[1]] = f[3] }
  printf "%-20s %12s %12s %8s   %12s %12s\n", "images/s (1 core)", "Java cpu", "PIL cpu", "ratio", "Java wall", "PIL wall"
  split("decode+preprocess decode preprocess", names, " ")
  for (i = 1; i <= 3; i++) {
    m = names[i]
    printf "%-20s %12.1f %12.1f %7.2fx   %12.1f %12.1f\n", m, jc[m], pc[m], jc[m] / pc[m], jw[m], pw[m]
  }
}'
echo "JDK: $(java -version 2>&1 | head -1); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
