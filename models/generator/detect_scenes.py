#!/usr/bin/python3
"""Generated scenes with known boxes, for measuring zero-shot detectors honestly.

Each scene is a 640 x 480 JPEG: a photo-like background (a wall and a floor with gradients, soft
low-frequency blotches, a few plain furniture-like shapes, sensor noise) with one to three
sample-catalog products pasted at random sizes (90 to 250 px) and positions, never overlapping.
The products are Fluent Emoji 3D renders (256 px WebP with alpha) from the same npm package the
sample catalog and the offline model's training use; the ground-truth box of each is the bounding
box of its visible (alpha > 32) pixels after scaling. The query set is a fixed list of twelve
product concepts, named by their CLDR names (what emojibase calls "label"); every scene is queried
with all twelve, so each query is present in some scenes and absent from the rest.

Writes --out/scene-NNN.jpg and --out/scenes.json:
    {"labels": [...], "seed": S, "scenes": [{"file", "width", "height",
     "objects": [{"label", "box": [x0, y0, x1, y1]}]}]}

Needs Debian's python3-pil and python3-numpy, and the npm tarballs the sample catalog downloads
(`clipsearch sample-data build` caches them in ~/.cache/clipsearch/sample-data/npm/):
    /usr/bin/python3 models/generator/detect_scenes.py --npm ~/.cache/clipsearch/sample-data/npm \\
        --out /tmp/scenes --count 60
"""

import argparse
import io
import json
import os
import sys
import tarfile

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 640, 480
FLUENT = "lobehub-fluent-emoji-3d-1.1.0.tgz"
EMOJIBASE = "emojibase-data-17.0.0.tgz"
LABELS = [
    "red apple", "banana", "teddy bear", "guitar", "laptop", "mobile phone", "soccer ball",
    "headphone", "potted plant", "hammer", "alarm clock", "high-heeled shoe",
]
MIN_SIDE, MAX_SIDE = 90, 250


def load_renders(npm):
    """label -> RGBA PIL image, from the emojibase names and the Fluent 3D renders."""
    with tarfile.open(os.path.join(npm, EMOJIBASE)) as tar:
        data = json.load(tar.extractfile("package/en/data.json"))
    hexcode = {e["label"]: e["hexcode"].lower() for e in data}
    missing = [l for l in LABELS if l not in hexcode]
    if missing:
        raise SystemExit(f"not in emojibase: {missing}")
    renders = {}
    with tarfile.open(os.path.join(npm, FLUENT)) as tar:
        names = set(tar.getnames())
        for label in LABELS:
            name = f"package/assets/{hexcode[label]}.webp"
            if name not in names:
                name = f"package/assets/{hexcode[label]}-fe0f.webp"
            if name not in names:
                raise SystemExit(f"no Fluent 3D render for {label} ({hexcode[label]})")
            image = Image.open(io.BytesIO(tar.extractfile(name).read())).convert("RGBA")
            renders[label] = image.crop(image.getbbox())  # tight around the visible pixels
    return renders


def background(rng):
    """A wall above a floor, gradients, blotches, furniture-like shapes, noise."""
    wall = rng.uniform(90, 235, 3)
    floor = rng.uniform(40, 200, 3)
    horizon = int(rng.uniform(0.45, 0.8) * HEIGHT)
    yy = np.linspace(0, 1, HEIGHT)[:, None, None]
    img = np.where(np.arange(HEIGHT)[:, None, None] < horizon,
                   wall * (0.85 + 0.25 * yy), floor * (0.75 + 0.35 * yy))
    img = np.broadcast_to(img, (HEIGHT, WIDTH, 3)).copy()
    # low-frequency blotches: a coarse random grid, upsampled smoothly
    coarse = rng.normal(0, 18, (6, 8, 3)).astype(np.float32)
    blotches = np.stack([np.asarray(Image.fromarray(coarse[..., c], "F").resize(
        (WIDTH, HEIGHT), Image.BICUBIC)) for c in range(3)], axis=-1)
    img = np.clip(img + blotches, 0, 255).astype(np.uint8)
    pil = Image.fromarray(img, "RGB")
    draw = ImageDraw.Draw(pil)
    for _ in range(rng.integers(1, 4)):  # furniture-like plain shapes
        x0, y0 = rng.uniform(-100, WIDTH - 50), rng.uniform(horizon - 200, HEIGHT - 60)
        w, h = rng.uniform(80, 320), rng.uniform(40, 200)
        colour = tuple(int(v) for v in rng.uniform(30, 220, 3))
        if rng.random() < 0.7:
            draw.rectangle([x0, y0, x0 + w, y0 + h], fill=colour)
        else:
            draw.ellipse([x0, y0, x0 + w, y0 + h], fill=colour)
    pil = pil.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 2.0)))
    noisy = np.asarray(pil, dtype=np.float32) + rng.normal(0, rng.uniform(2, 7), (HEIGHT, WIDTH, 3))
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8), "RGB")


def iou(a, b):
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def scene(rng, renders):
    img = background(rng)
    count = int(rng.integers(1, 4))
    labels = [LABELS[i] for i in rng.choice(len(LABELS), count, replace=False)]
    objects = []
    for label in labels:
        render = renders[label]
        for _ in range(100):
            side = rng.uniform(MIN_SIDE, MAX_SIDE)
            scale = side / max(render.size)
            w, h = max(1, round(render.width * scale)), max(1, round(render.height * scale))
            x, y = int(rng.integers(0, WIDTH - w + 1)), int(rng.integers(0, HEIGHT - h + 1))
            box = [x, y, x + w, y + h]
            if all(iou(box, o["box"]) == 0 for o in objects):
                break
        else:
            continue
        scaled = render.resize((w, h), Image.BICUBIC)
        img.paste(scaled, (x, y), scaled)
        visible = scaled.getchannel("A").point(lambda a: 255 if a > 32 else 0).getbbox()
        if visible is None:
            continue
        objects.append({"label": label, "box": [x + visible[0], y + visible[1],
                                                x + visible[2], y + visible[3]]})
    return img, objects


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--npm", required=True, help="directory with the sample data's npm tarballs")
    parser.add_argument("--out", required=True)
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1303)
    args = parser.parse_args(argv)
    renders = load_renders(args.npm)
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    scenes = []
    for i in range(args.count):
        img, objects = scene(rng, renders)
        name = f"scene-{i:03d}.jpg"
        img.save(os.path.join(args.out, name), quality=90)
        scenes.append({"file": name, "width": WIDTH, "height": HEIGHT, "objects": objects})
    with open(os.path.join(args.out, "scenes.json"), "w", encoding="utf-8") as f:
        json.dump({"labels": LABELS, "seed": args.seed, "scenes": scenes}, f, indent=1)
        f.write("\n")
    print(f"wrote {args.count} scenes to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
