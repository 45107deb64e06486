#!/usr/bin/python3
"""SigLIP's image preprocessing (Hugging Face's SiglipImageProcessor), with PIL and numpy only.

SiglipImageProcessor, as google/siglip-base-patch16-224's preprocessor_config.json configures it
(do_resize with size {"height": 224, "width": 224}, resample 3 = bicubic, do_rescale with
1/255, do_normalize with mean = std = [0.5, 0.5, 0.5], no center crop):

    image.resize((width, height), BICUBIC)   # the whole image, aspect ratio not kept
    convert("RGB")
    * rescale_factor, then (x - mean) / std  # float32, CHW

Gray images are resized single-channel and then replicated, which gives the same values as
converting first (the filter works per channel).

Usage:
    siglip_preprocess_reference.py --out-dir DIR IMAGE...
        writes DIR/<stem>.f32.gz (3 x size x size float32 little-endian CHW, gzip) for each image
        and DIR/cases.json (mean, std, size and per image its mode and size)
    siglip_preprocess_reference.py --check DIR --shared SHARED/fixtures/clip-reference/images
                                   --parity models/src/test/resources/image/parity
        recomputes every case of DIR/cases.json ("from": shared or parity says which folder holds
        the image) and compares each tensor bit for bit

Run with Debian's /usr/bin/python3 (python3-pil, python3-numpy).
"""

import argparse
import gzip
import hashlib
import json
import os
import sys

import numpy as np
from PIL import Image

SIGLIP_MEAN = (0.5, 0.5, 0.5)
SIGLIP_STD = (0.5, 0.5, 0.5)
RESCALE = 1 / 255


def preprocess(image, size=224, mean=SIGLIP_MEAN, std=SIGLIP_STD):
    """Returns the CHW float32 tensor of a PIL image, as SiglipImageProcessor makes it."""
    resized = image.resize((size, size), Image.BICUBIC)
    pixels = np.asarray(resized.convert("RGB"), dtype=np.uint8)
    scaled = pixels.astype(np.float32) * np.float32(RESCALE)
    normalized = (scaled - np.asarray(mean, dtype=np.float32)) / np.asarray(std, dtype=np.float32)
    return np.ascontiguousarray(normalized.transpose(2, 0, 1), dtype="<f4")


def write_cases(out_dir, images, size):
    os.makedirs(out_dir, exist_ok=True)
    cases = []
    for path in images:
        stem = os.path.splitext(os.path.basename(path))[0]
        with Image.open(path) as image:
            tensor = preprocess(image, size)
            mode, dims = image.mode, list(image.size)
        name = stem + ".f32.gz"
        with open(os.path.join(out_dir, name), "wb") as raw:
            with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:  # reproducible bytes
                out.write(tensor.tobytes())
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        # where the image lives: the shared CLIP reference images, or the CLIP parity resources
        source = "shared" if "clip-reference" in os.path.abspath(path) else "parity"
        cases.append({"image": os.path.basename(path), "from": source, "tensor": name,
                      "mode": mode, "size": dims, "sha256": digest})
        print(f"{os.path.basename(path)}: {mode} {dims} -> {size} x {size}")
    spec = {"processor": "SiglipImageProcessor", "mean": list(SIGLIP_MEAN),
            "std": list(SIGLIP_STD), "size": size, "resize": "squash", "cases": cases}
    with open(os.path.join(out_dir, "cases.json"), "w") as f:
        json.dump(spec, f, indent=1)
        f.write("\n")


def image_path(case, shared, parity):
    return os.path.join(shared if case["from"] == "shared" else parity, case["image"])


def check(out_dir, shared, parity):
    with open(os.path.join(out_dir, "cases.json")) as f:
        spec = json.load(f)
    failures = 0
    for case in spec["cases"]:
        with Image.open(image_path(case, shared, parity)) as image:
            tensor = preprocess(image, spec["size"], spec["mean"], spec["std"])
        with gzip.open(os.path.join(out_dir, case["tensor"]), "rb") as f:
            same = f.read() == tensor.tobytes()
        print(("ok      " if same else "DIFFERS ") + case["image"])
        failures += 0 if same else 1
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir")
    parser.add_argument("--check", metavar="DIR")
    parser.add_argument("--shared", help="the shared clip-reference/images folder (--check)")
    parser.add_argument("--parity", help="the CLIP parity images folder (--check)")
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("images", nargs="*")
    args = parser.parse_args()
    if args.check:
        sys.exit(1 if check(args.check, args.shared, args.parity) else 0)
    if not args.out_dir or not args.images:
        parser.error("give --check DIR, or --out-dir DIR and images")
    write_cases(args.out_dir, args.images, args.size)


if __name__ == "__main__":
    main()
