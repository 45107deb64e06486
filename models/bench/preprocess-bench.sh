#!/usr/bin/env bash
# Preprocessing throughput on one core, side by side in one run: this project's Java pipeline
# (ImageDecoder + ClipImagePreprocessor) with the exact decode (libjpeg-turbo, full size), the fast
# decode (reduced DCT scale) and the ImageIO fallback, beside PIL's reference pipeline
# (models/reference/) and PIL with Image.draft, on the same images, single-threaded. Prints
# images/s per CPU-second of the measuring thread (what one core does, whatever else the machine
# runs), for decode + preprocess and for decode alone.
#
#   models/bench/preprocess-bench.sh [SECONDS_PER_MEASURE] [IMAGE_DIR...]
#
# Without folders it measures the shared fixture photos (all of them, then the JPEGs alone) and
# camera-sized JPEGs of 2, 4 and 12 megapixels that models/reference/make_camera_jpegs.py writes
# under models/target/camera-jpegs. BENCH_CPU (default 0) is the core both sides are pinned to
# with taskset when it is available.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
source scripts/env.sh
seconds="${1:-3}"
shift || true
python=/usr/bin/python3 # Debian's, with python3-pil and python3-numpy
fixtures="$(realpath "$root/../shared/fixtures/clip-reference/images")"

sets=("$@")
if [ ${#sets[@]} -eq 0 ]; then
  jpegs="$root/models/target/fixture-jpegs"
  mkdir -p "$jpegs"
  for f in "$fixtures"/*.jpg; do ln -sf "$f" "$jpegs/"; done
  "$python" models/reference/make_camera_jpegs.py "$fixtures" "$root/models/target/camera-jpegs" >/dev/null
  sets=("$fixtures" "$jpegs" "$root/models/target/camera-jpegs/2mp" \
    "$root/models/target/camera-jpegs/4mp" "$root/models/target/camera-jpegs/12mp")
fi

./mvnw -o -q -B -pl models -am test-compile
./mvnw -o -q -B -pl models dependency:build-classpath \
  -Dmdep.outputFile="$root/models/target/bench.classpath" -Dmdep.includeScope=test >/dev/null
classpath="models/target/test-classes:models/target/classes:$(cat models/target/bench.classpath)"

pin=()
if command -v taskset >/dev/null; then
  pin=(taskset -c "${BENCH_CPU:-0}")
fi

echo "${seconds}s of CPU per measure, pinned: ${pin[*]:-no}; images/s per CPU-second of one core"
printf "%-16s %-18s %8s %8s %8s %8s %8s %8s %8s\n" "images" "stage" "exact" "fast" "ImageIO" \
  "PIL ref" "PIL drft" "exact/ref" "fast/ref"
for dir in "${sets[@]}"; do
  dir="$(realpath "$dir")"
  name="$(basename "$dir")"
  [ "$dir" = "$fixtures" ] && name="fixtures-all"
  [ "$name" = "fixture-jpegs" ] && name="fixtures-jpeg"
  name="$name ($(ls "$dir" | wc -l))"
  java_out="$("${pin[@]}" java -Xmx2g --enable-native-access=ALL-UNNAMED -cp "$classpath" \
    dev.clipsearch.models.bench.PreprocessBench "$dir" "$seconds")"
  pil_out="$("${pin[@]}" "$python" models/reference/bench_preprocess_pil.py "$dir" "$seconds")"
  awk -v java="$java_out" -v pil="$pil_out" -v set="$name" 'BEGIN {
    n = split(java "\n" pil, lines, "\n"); for (i = 1; i <= n; i++) { split(lines[i], f, " "); r[f[1]] = f[2] }
    split("decode+preprocess decode", stages, " ")
    for (s = 1; s <= 2; s++) {
      m = stages[s]
      printf "%-16s %-18s %8.1f %8.1f %8.1f %8.1f %8.1f %8.2fx %7.2fx\n", set, m, r["exact:" m], r["fast:" m],
        r["imageio:" m], r["reference:" m], r["draft:" m], r["exact:" m] / r["reference:" m], r["fast:" m] / r["reference:" m]
    }
    printf "%-16s %-18s %8.1f %8s %8s %8.1f\n", set, "preprocess only", r["exact:preprocess"], "", "", r["reference:preprocess"]
  }'
done
echo "JDK: $(java -version 2>&1 | head -1); libjpeg-turbo: $(dpkg-query -W -f='${Version}' libturbojpeg0 2>/dev/null || echo missing); Pillow $("$python" -c 'import PIL; print(PIL.__version__)')"
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
