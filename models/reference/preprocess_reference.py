#!/usr/bin/python3
"""The original CLIP image preprocessing, reimplemented with PIL and numpy only.

CLIP (and open_clip, and Hugging Face's CLIPImageProcessor with its defaults) turn an
image into the model input with torchvision on a PIL image:

    Resize(224, interpolation=BICUBIC)  # shorter side to 224, PIL's antialiased bicubic
    CenterCrop(224)
    convert("RGB")
    ToTensor()                          # uint8 HWC -> float32 CHW, / 255
    Normalize(mean, std)

This script does the same steps with PIL operations and float32 numpy arithmetic, so the
reference tensors can be made without torch:

- Resize: torchvision computes new_short = 224 and new_long = int(224 * long / short)
  (Python float division, truncation), then calls PIL's Image.resize(size, BICUBIC)
  without a reducing_gap, which is exactly what this script calls.
- CenterCrop: top = int(round((h - 224) / 2.0)), left likewise (round half to even).
- ToTensor divides the uint8 values by 255 in float32; Normalize subtracts the float32
  mean and divides by the float32 std, element-wise.

Usage:
    preprocess_reference.py --check-fixtures SHARED/fixtures/clip-reference
        recomputes every case of preprocess.json and compares each tensor bit for bit
    preprocess_reference.py --out-dir DIR IMAGE...
        writes DIR/<stem>.f32.gz (3 x size x size float32 little-endian CHW, gzip) for
        each image and DIR/cases.json describing each case like preprocess.json does
        (there, as in shared/, "sha256" is the image file's)

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

CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)


def resized_size(width, height, size):
    """torchvision's output size for Resize(int): shorter side to size, longer truncated."""
    short, long = (width, height) if width <= height else (height, width)
    new_short, new_long = size, int(size * long / short)
    return (new_short, new_long) if width <= height else (new_long, new_short)


def crop_offsets(width, height, size):
    """torchvision's CenterCrop offsets (Python round: half to even)."""
    return int(round((width - size) / 2.0)), int(round((height - size) / 2.0))


def preprocess(image, size=224, mean=CLIP_MEAN, std=CLIP_STD):
    """Returns (tensor CHW float32, details) for a PIL image, as CLIP's pipeline does."""
    width, height = image.size
    new_w, new_h = resized_size(width, height, size)
    resized = image.resize((new_w, new_h), Image.BICUBIC)
    left, top = crop_offsets(new_w, new_h, size)
    cropped = resized.crop((left, top, left + size, top + size))
    rgb = cropped.convert("RGB")
    pixels = np.asarray(rgb, dtype=np.uint8)
    scaled = pixels.astype(np.float32) / np.float32(255)
    normalized = (scaled - np.asarray(mean, dtype=np.float32)) / np.asarray(std, dtype=np.float32)
    tensor = np.ascontiguousarray(normalized.transpose(2, 0, 1), dtype="<f4")
    details = {
        "mode": image.mode,
        "size": [width, height],
        "resized": [new_w, new_h],
        "crop_left_top": [left, top],
        "shape": list(tensor.shape),
        "dtype": "float32-le",
    }
    return tensor, details


def check_fixtures(fixture_dir):
    with open(os.path.join(fixture_dir, "preprocess.json")) as f:
        spec = json.load(f)
    failures = 0
    for case in spec["cases"]:
        image_path = os.path.join(fixture_dir, case["image"])
        with open(image_path, "rb") as f:
            same = hashlib.sha256(f.read()).hexdigest() == case["sha256"]
        with Image.open(image_path) as image:
            tensor, details = preprocess(image, spec["size"], spec["mean"], spec["std"])
        with open(os.path.join(fixture_dir, case["tensor"]), "rb") as f:
            same = same and tensor.tobytes() == f.read()
        for key in ("mode", "size", "resized", "crop_left_top"):
            same = same and details[key] == case[key]
        print(("ok      " if same else "DIFFERS ") + case["image"])
        failures += 0 if same else 1
    return failures


def write_cases(out_dir, images, size):
    os.makedirs(out_dir, exist_ok=True)
    cases = []
    for path in images:
        stem = os.path.splitext(os.path.basename(path))[0]
        with Image.open(path) as image:
            tensor, details = preprocess(image, size)
        tensor_name = stem + ".f32.gz"
        # mtime=0 keeps the gzip bytes reproducible
        with open(os.path.join(out_dir, tensor_name), "wb") as raw:
            with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
                out.write(tensor.tobytes())
        case = {"image": os.path.basename(path), "tensor": tensor_name}
        case.update(details)
        with open(path, "rb") as f:
            case["sha256"] = hashlib.sha256(f.read()).hexdigest()  # of the image, as in shared/
        cases.append(case)
        print(f"{os.path.basename(path)}: {details['mode']} {details['size']} -> "
              f"{details['resized']} crop {details['crop_left_top']}")
    spec = {"mean": list(CLIP_MEAN), "std": list(CLIP_STD), "size": size, "cases": cases}
    with open(os.path.join(out_dir, "cases.json"), "w") as f:
        json.dump(spec, f, indent=1)
        f.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check-fixtures", metavar="DIR")
    parser.add_argument("--out-dir")
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("images", nargs="*")
    args = parser.parse_args()
    if args.check_fixtures:
        sys.exit(1 if check_fixtures(args.check_fixtures) else 0)
    if not args.out_dir or not args.images:
        parser.error("give --check-fixtures DIR, or --out-dir DIR and images")
    write_cases(args.out_dir, args.images, args.size)


if __name__ == "__main__":
    main()
