#!/usr/bin/python3
"""Step 2: trains the offline model's image tower and text projection (LiT: the text tower is locked).

Inputs (from prepare.py and `clipsearch inspect embed-batch`): WORK/captions.f32 (the 384-d
all-MiniLM-L6-v2 embedding of every caption, computed by the Java runtime), WORK/captions.json, and
the training set's images. The image tower is a small CNN on 64 x 64 inputs; the text side is a
384 -> 256 linear map on the frozen, L2-normalized sentence embedding. Loss: CLIP's symmetric
InfoNCE over a batch of distinct concepts, with a learned temperature.

Writes OUT/: image.onnx (pixel_values [batch, 3, 64, 64] -> image_embeds [batch, 256]),
text-projection.f32 (384 x 256, row-major, little-endian), clipsearch-model.json, training.json
(the run's settings and loss curve).
"""

import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

import common

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
import preprocess_reference  # noqa: E402


# ---------------------------------------------------------------------------------------------
# Images: the exact runtime input, and an RGBA copy for augmentation


def runtime_pixels(path):
    """The 8-bit RGB image the Java runtime feeds the model: alpha composited over white with its
    rounding (PixelUnpacker.overWhite), then PIL's bicubic resize of the RGB image to 64 x 64 (the
    images are square, so the centre crop keeps everything), as ClipImagePreprocessor does."""
    im = Image.open(path)
    im.load()
    rgba = np.asarray(im.convert("RGBA"), dtype=np.int32)
    rgb, a = rgba[..., :3], rgba[..., 3:4]
    over_white = (rgb * a + 255 * (255 - a) + 127) // 255
    return resize_and_crop(Image.fromarray(over_white.astype(np.uint8), "RGB"))


def resize_and_crop(im):
    """Shorter side to 64 with PIL's bicubic filter, centre crop: the reference pipeline's geometry
    (models/reference/preprocess_reference.py), which the Java preprocessor reproduces bit for bit."""
    size = common.IMAGE_SIZE
    w, h = im.size
    new_w, new_h = preprocess_reference.resized_size(w, h, size)
    if (new_w, new_h) != (w, h):
        im = im.resize((new_w, new_h), Image.BICUBIC)
    left, top = preprocess_reference.crop_offsets(new_w, new_h, size)
    return np.asarray(im.crop((left, top, left + size, top + size)), dtype=np.uint8)


def rgba_pixels(path):
    """The image with alpha at 64 x 64 (PIL resizes RGBA with premultiplied alpha)."""
    return resize_and_crop(Image.open(path).convert("RGBA"))


def load_images(data_dir, concepts, styles, cache):
    """(concept index, style index, runtime pixels, rgba pixels) of every available image."""
    if os.path.exists(cache):
        z = np.load(cache)
        return z["concept"], z["style"], z["runtime"], z["rgba"]
    cidx, sidx, runtime, rgba = [], [], [], []
    for i, c in enumerate(concepts):
        for s, style in enumerate(styles):
            rel = c["images"].get(style)
            if rel is None:
                continue
            path = os.path.join(data_dir, rel)
            cidx.append(i)
            sidx.append(s)
            runtime.append(runtime_pixels(path))
            rgba.append(rgba_pixels(path))
    arrays = dict(concept=np.array(cidx, np.int32), style=np.array(sidx, np.int32),
                  runtime=np.stack(runtime), rgba=np.stack(rgba))
    np.savez(cache, **arrays)
    return arrays["concept"], arrays["style"], arrays["runtime"], arrays["rgba"]


# ---------------------------------------------------------------------------------------------
# Augmentation: photo-like variations of a transparent render, done on a batch with torch


def backgrounds(n, g):
    size = common.IMAGE_SIZE
    kind = torch.randint(0, 4, (n,), generator=g)
    c1 = torch.rand(n, 3, 1, 1, generator=g)
    c2 = torch.rand(n, 3, 1, 1, generator=g)
    bg = torch.ones(n, 3, size, size)                               # 0: white, as the catalog
    solid = c1.expand(n, 3, size, size)                             # 1: one colour
    ramp = torch.linspace(0, 1, size).view(1, 1, 1, size)
    vertical = (torch.rand(n, 1, 1, 1, generator=g) < 0.5).float()
    ramp = ramp * (1 - vertical) + ramp.transpose(2, 3) * vertical
    gradient = c1 * (1 - ramp) + c2 * ramp                          # 2: gradient
    cells = int(torch.randint(3, 9, (1,), generator=g))
    field = torch.rand(n, 3, cells, cells, generator=g)
    texture = F.interpolate(field, size=(size, size), mode="bilinear", align_corners=False)
    texture = texture + 0.08 * torch.randn(n, 3, size, size, generator=g)   # 3: blotchy texture
    for k, img in ((1, solid), (2, gradient), (3, texture)):
        m = (kind == k).view(n, 1, 1, 1).float()
        bg = bg * (1 - m) + img * m
    return bg.clamp(0, 1)


def augment(rgba, g):
    """rgba: uint8 [n, 64, 64, 4] -> float [n, 3, 64, 64] in [0, 1]."""
    n = rgba.shape[0]
    x = torch.from_numpy(rgba).permute(0, 3, 1, 2).float() / 255
    alpha = x[:, 3:4]
    premult = torch.cat([x[:, :3] * alpha, alpha], 1)
    # random scale, rotation and shift of the object in the frame
    scale = torch.empty(n).uniform_(0.55, 1.2, generator=g)
    angle = torch.empty(n).uniform_(-0.35, 0.35, generator=g)
    shift = (1.15 - scale).clamp(min=0.05).unsqueeze(1) * torch.empty(n, 2).uniform_(-0.5, 0.5, generator=g)
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1),
                         torch.stack([sin, cos, shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, list(premult.shape), align_corners=False)
    premult = F.grid_sample(premult, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    rgb, alpha = premult[:, :3], premult[:, 3:4]
    out = rgb + backgrounds(n, g) * (1 - alpha)
    # colour jitter: brightness, contrast, saturation
    out = out * torch.empty(n, 1, 1, 1).uniform_(0.75, 1.25, generator=g)
    mean = out.mean(dim=(1, 2, 3), keepdim=True)
    out = (out - mean) * torch.empty(n, 1, 1, 1).uniform_(0.7, 1.3, generator=g) + mean
    gray = out.mean(dim=1, keepdim=True)
    out = (out - gray) * torch.empty(n, 1, 1, 1).uniform_(0.6, 1.4, generator=g) + gray
    # a quarter of the batch: lower resolution (soft, like a small photo), then sensor noise
    low = torch.rand(n, generator=g) < 0.25
    if low.any():
        small = F.interpolate(out[low], scale_factor=0.5, mode="bilinear", align_corners=False)
        out[low] = F.interpolate(small, size=out.shape[-2:], mode="bilinear", align_corners=False)
    noisy = (torch.rand(n, 1, 1, 1, generator=g) < 0.3).float()
    out = out + noisy * 0.03 * torch.randn(out.shape, generator=g)
    return out.clamp(0, 1)


def normalize(x01):
    mean = torch.tensor(common.MEAN).view(1, 3, 1, 1)
    std = torch.tensor(common.STD).view(1, 3, 1, 1)
    return (x01 - mean) / std


def runtime_input(runtime_uint8):
    """The normalized tensor the Java runtime computes from the same 8-bit pixels."""
    x = torch.from_numpy(runtime_uint8).permute(0, 3, 1, 2).float() / 255
    return normalize(x)


# ---------------------------------------------------------------------------------------------
# Model


def conv(cin, cout, stride):
    return [nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


class ImageTower(nn.Module):
    """64 x 64 -> 4 x 4 by strided 3x3 convolutions, global average pool, linear to the space."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            *conv(3, 32, 2), *conv(32, 64, 2), *conv(64, 64, 1), *conv(64, 128, 2),
            *conv(128, 128, 1), *conv(128, 256, 2), *conv(256, 256, 1))
        self.head = nn.Linear(256, common.EMBED_DIM)

    def forward(self, pixel_values):
        x = self.features(pixel_values).mean(dim=(2, 3))
        return self.head(x)


class Dual(nn.Module):
    def __init__(self):
        super().__init__()
        self.image = ImageTower()
        self.text_projection = nn.Linear(common.TEXT_WIDTH, common.EMBED_DIM, bias=False)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))


# ---------------------------------------------------------------------------------------------


def export(model, out_dir, logit_scale):
    os.makedirs(out_dir, exist_ok=True)
    tower = model.image.eval()
    dummy = torch.zeros(2, 3, common.IMAGE_SIZE, common.IMAGE_SIZE)
    torch.onnx.export(tower, dummy, os.path.join(out_dir, "image.onnx"), input_names=["pixel_values"],
                      output_names=["image_embeds"],
                      dynamic_axes={"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}},
                      opset_version=13, do_constant_folding=True)
    w = model.text_projection.weight.detach().numpy().T.astype("<f4")   # [384, 256]: out = in . W
    w.tofile(os.path.join(out_dir, "text-projection.f32"))
    manifest = {
        "format": "clipsearch-model/1",
        "id": common.MODEL_ID,
        "dimension": common.EMBED_DIM,
        "logitScale": round(logit_scale, 4),
        "image": {
            "onnx": "image.onnx",
            "input": "pixel_values",
            "output": "image_embeds",
            "preprocess": {"size": common.IMAGE_SIZE, "mean": list(common.MEAN), "std": list(common.STD)},
        },
        "text": {
            **common.text_tower_manifest(),
            "normalizeBeforeProjection": True,
            "projection": {"file": "text-projection.f32", "shape": [common.TEXT_WIDTH, common.EMBED_DIM]},
        },
    }
    with open(os.path.join(out_dir, "clipsearch-model.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


def write_parity_check(model, concepts, cidx, sidx, runtime, args):
    """The trained tower's vectors for the first 64 images, computed here from the pixels PIL gives:
    evaluate.py compares them with the Java runtime's vectors for the same files."""
    rows = np.arange(min(64, len(cidx)))
    paths = [concepts[int(cidx[r])]["images"][common.STYLES[int(sidx[r])]] for r in rows]
    common.write_lines(os.path.join(args.data, "parity-images.txt"), paths)
    with torch.no_grad():
        vecs = F.normalize(model.image.eval()(runtime_input(runtime[rows])), dim=-1)
    vecs.numpy().astype("<f4").tofile(os.path.join(args.out, "..", os.path.basename(args.out) + "-parity.f32"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--clean-share", type=float, default=0.3,
                        help="share of each batch shown exactly as the runtime will (over white)")
    parser.add_argument("--exclude-style", action="append", default=[], choices=common.STYLES)
    parser.add_argument("--exclude-held-out-concepts", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    random.seed(args.seed)
    g = torch.Generator().manual_seed(args.seed)

    concepts = common.read_concepts(args.data)
    with open(os.path.join(args.work, "captions.json"), encoding="utf-8") as f:
        caption_rows = json.load(f)
    caption_vecs = torch.from_numpy(common.read_f32(os.path.join(args.work, "captions.f32"), common.TEXT_WIDTH).copy())

    t0 = time.time()
    cidx, sidx, runtime, rgba = load_images(args.data, concepts, common.STYLES,
                                            os.path.join(args.work, "images-64.npz"))
    print(f"{len(cidx)} images loaded in {time.time() - t0:.0f} s", flush=True)

    excluded = {common.STYLES.index(s) for s in args.exclude_style}
    keep_concept = np.array([not (args.exclude_held_out_concepts and common.is_held_out_concept(c["id"]))
                             for c in concepts])
    usable = np.array([keep_concept[c] and s not in excluded for c, s in zip(cidx, sidx)])
    images_of = {}
    for row in np.nonzero(usable)[0]:
        images_of.setdefault(int(cidx[row]), []).append(int(row))
    train_concepts = sorted(images_of)
    print(f"training on {len(train_concepts)} concepts, {int(usable.sum())} images; styles "
          f"{[s for i, s in enumerate(common.STYLES) if i not in excluded]}", flush=True)

    model = Dual()
    decay = [p for n, p in model.named_parameters() if p.ndim >= 2]
    rest = [p for n, p in model.named_parameters() if p.ndim < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": rest, "weight_decay": 0.0}],
                            lr=args.lr)
    warmup = max(1, args.steps // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * min(1.0, s / args.steps))))

    rng = np.random.default_rng(args.seed)
    order, pos = rng.permutation(train_concepts), 0
    history = []
    t0 = time.time()
    for step in range(args.steps):
        if pos + args.batch > len(order):
            order, pos = rng.permutation(train_concepts), 0
        batch = order[pos:pos + args.batch]
        pos += args.batch
        rows = np.array([rng.choice(images_of[int(c)]) for c in batch])
        caps = np.array([rng.choice(caption_rows[concepts[int(c)]["id"]]) for c in batch])
        clean = torch.from_numpy(rng.random(len(batch)) < args.clean_share)
        pixels = augment(rgba[rows], g)
        pixels = normalize(pixels)
        exact = runtime_input(runtime[rows])
        pixels = torch.where(clean.view(-1, 1, 1, 1), exact, pixels)

        model.train()
        img = F.normalize(model.image(pixels), dim=-1)
        txt = F.normalize(model.text_projection(caption_vecs[caps]), dim=-1)
        scale = model.logit_scale.clamp(max=math.log(100)).exp()
        logits = scale * img @ txt.t()
        labels = torch.arange(len(batch))
        loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2
        opt.zero_grad()
        loss.backward()
        opt.step()
        schedule.step()
        history.append(round(float(loss), 4))
        if step % 20 == 0 or step == args.steps - 1:
            acc = float((logits.argmax(1) == labels).float().mean())
            print(f"step {step:4d}  loss {float(loss):.3f}  batch i->t acc {acc:.2f}  "
                  f"scale {float(scale):.1f}  {time.time() - t0:.0f} s", flush=True)

    logit_scale = float(model.logit_scale.clamp(max=math.log(100)).exp())
    export(model, args.out, logit_scale)
    write_parity_check(model, concepts, cidx, sidx, runtime, args)
    with open(os.path.join(args.out, "training.json"), "w", encoding="utf-8") as f:
        json.dump({"args": vars(args), "train_concepts": len(train_concepts),
                   "train_images": int(usable.sum()), "seconds": round(time.time() - t0),
                   "torch": torch.__version__, "loss": history}, f)
        f.write("\n")
    print(f"exported to {args.out} after {time.time() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main()
