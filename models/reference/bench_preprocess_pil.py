#!/usr/bin/python3
"""Single-threaded throughput of the reference CLIP preprocessing (PIL + numpy), in images/s.

    bench_preprocess_pil.py IMAGE_DIR [SECONDS_PER_MEASURE]

The same work as the Java PreprocessBench on the same images: decode from bytes in memory, then
resize + crop + convert + normalize exactly as preprocess_reference.py does (the torchvision
pipeline on PIL images). "reference" decodes at full size; "draft" first asks PIL for a reduced
JPEG decode with Image.draft, keeping a short side of at least DRAFT_SIZE (336 = 224 x 1.5, the
margin of the Java fast mode). Rates are per second of this thread's CPU time and, for reference, of
wall-clock time. Prints one line per measure, "name cpu-rate wall-rate", like the Java side.
Run with Debian's /usr/bin/python3 (python3-pil, python3-numpy).
"""

import io
import os
import sys
import time

from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from preprocess_reference import preprocess  # noqa: E402


DRAFT_SIZE = 336


def decode(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def decode_draft(data):
    image = Image.open(io.BytesIO(data))
    image.draft(image.mode, (DRAFT_SIZE, DRAFT_SIZE))
    image.load()
    return image


def run(measure, count, seconds):
    done = 0
    wall_start = time.perf_counter()
    cpu_start = time.thread_time()
    while True:
        for i in range(count):
            measure(i)
            done += 1
        if time.thread_time() - cpu_start >= seconds:
            break
    cpu = time.thread_time() - cpu_start
    wall = time.perf_counter() - wall_start
    return f"{done / cpu:.2f} {done / wall:.2f}"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
    names = sorted(n for n in os.listdir(folder) if os.path.isfile(os.path.join(folder, n)))
    encoded = []
    for name in names:
        with open(os.path.join(folder, name), "rb") as f:
            encoded.append(f.read())
    decoded = [decode(data) for data in encoded]

    full = lambda i: preprocess(decode(encoded[i]))  # noqa: E731
    draft = lambda i: preprocess(decode_draft(encoded[i]))  # noqa: E731
    run(full, len(encoded), min(seconds, 1.0))  # warm caches
    print(f"images {len(encoded)}")
    print(f"reference:decode+preprocess {run(full, len(encoded), seconds)}")
    print(f"reference:decode {run(lambda i: decode(encoded[i]), len(encoded), seconds)}")
    print(f"draft:decode+preprocess {run(draft, len(encoded), seconds)}")
    print(f"draft:decode {run(lambda i: decode_draft(encoded[i]), len(encoded), seconds)}")
    print(f"reference:preprocess {run(lambda i: preprocess(decoded[i]), len(encoded), seconds)}")


if __name__ == "__main__":
    main()
