#!/usr/bin/python3
"""Camera-sized JPEGs for the preprocessing benchmark: 2, 4 and 12 megapixels, quality 90, 4:2:0.

    make_camera_jpegs.py CLIP_REFERENCE_IMAGES OUT_DIR

Writes OUT_DIR/2mp, OUT_DIR/4mp and OUT_DIR/12mp, four JPEGs each (1632 x 1224, 2304 x 1728 and
4000 x 3000, 4:3 landscape, the last one turned to portrait), made from the fixture photos by a
4:3 centre crop, a Lanczos upscale and seeded sensor-like noise (so that the files carry the
detail, and cost the entropy decoding, of real camera output: about 1.8 bits per pixel, 2.7 MB
at 12 MP).
Deterministic: the same input gives the same files. Run with Debian's /usr/bin/python3
(python3-pil, python3-numpy).
"""

import os
import sys

import numpy as np
from PIL import Image

SIZES = {"2mp": (1632, 1224), "4mp": (2304, 1728), "12mp": (4000, 3000)}
SOURCES = ["chelsea.png", "coffee.png", "rocket.jpg", "astronaut.png"]


def camera_jpeg(source, size, seed, portrait):
    image = Image.open(source).convert("RGB")
    w, h = image.size
    target = 4 / 3
    if w / h > target:
        cw, ch = int(h * target), h
    else:
        cw, ch = w, int(w / target)
    left, top = (w - cw) // 2, (h - ch) // 2
    image = image.crop((left, top, left + cw, top + ch)).resize(size, Image.LANCZOS)
    pixels = np.asarray(image, dtype=np.float32)
    noise = np.random.default_rng(seed).normal(0.0, 6.0, pixels.shape).astype(np.float32)
    image = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8))
    if portrait:
        image = image.transpose(Image.ROTATE_90)
    return image


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sources, out = sys.argv[1], sys.argv[2]
    for name, size in SIZES.items():
        folder = os.path.join(out, name)
        os.makedirs(folder, exist_ok=True)
        for i, source in enumerate(SOURCES):
            path = os.path.join(folder, f"{name}_{i}_{os.path.splitext(source)[0]}.jpg")
            if os.path.exists(path):
                continue
            image = camera_jpeg(os.path.join(sources, source), size, seed=i, portrait=(i == 3))
            image.save(path, quality=90, subsampling="4:2:0")
    print(out)


if __name__ == "__main__":
    main()
