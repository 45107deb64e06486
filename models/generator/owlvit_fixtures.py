#!/usr/bin/python3
"""Parity fixtures for clipsearch's OWL-ViT pre- and post-processing, made without torch.

The reference is Hugging Face transformers' OWL-ViT (google/owlvit-base-patch32):

OwlViTImageProcessor (preprocessor_config.json: size 768, resample 3 = BICUBIC,
do_center_crop false, CLIP's image_mean and image_std):
    resize to 768 x 768 with PIL's Image.resize((768, 768), BICUBIC)   # aspect ratio not kept
    rescale: uint8 -> float64 * (1 / 255) -> float32                    # transformers' rescale
    normalize: (x - mean) / std in float32                              # transformers' normalize
    HWC -> CHW
clipsearch decodes with the EXIF orientation applied, so this script applies
ImageOps.exif_transpose first; gray images are resized single-channel and made RGB after,
which gives the same values (every channel is resized on its own).

OwlViTProcessor's text side: CLIPTokenizer with padding="max_length", max_length 16; the OWL-ViT
tokenizer pads with "!" (id 0), so a query whose first id is 0 is padding, and the model masks
it (OwlViTForObjectDetection: query_mask = input_ids[..., 0] > 0). A query longer than 16 ids is
cut to 16 keeping the end token (clipsearch's choice; the reference would fail to batch it).

OwlViTImageProcessor.post_process_object_detection, ported to numpy below (reference_post_process):
    scores = sigmoid(max over queries of logits); labels = argmax over queries
    boxes = center_to_corners(pred_boxes) * [w, h, w, h] of the target (original) size
    keep score > threshold, in patch order, no NMS.
clipsearch then applies per-label NMS (on by default); nms() below is the expected behaviour.

Writes into --out (models/src/test/resources/owlvit/):
    preprocess.json + preprocess/<stem>.png   the PIL-resized 768 x 768 8-bit RGB image, the
                                              tensor's SHA-256 and seeded samples of its values
    queries.json                              input_ids and attention_mask of a few queries
    postprocess.json                          fixed logits/boxes and the reference's results

Usage, from the repository root, with Debian's python3-pil and python3-numpy:
    /usr/bin/python3 models/generator/owlvit_fixtures.py --shared ../shared \\
        --resources models/src/test/resources --out models/src/test/resources/owlvit
"""

import argparse
import hashlib
import json
import os
import sys

import numpy as np
from PIL import Image, ImageOps

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate_clip import CLIP_MEAN, CLIP_STD, ClipBpe  # noqa: E402

SIZE = 768
CONTEXT = 16
PAD_ID = 0  # "!" in the OWL-ViT tokenizer
SEED = 20261203
SAMPLES = 1000

PREPROCESS_CASES = [
    # (source, path): source "shared" is ../shared/fixtures, "resources" models/src/test/resources
    ("shared", "clip-reference/images/astronaut.png"),
    ("shared", "clip-reference/images/chelsea.png"),
    ("shared", "clip-reference/images/camera.png"),  # gray
    ("shared", "clip-reference/images/stretched_97x301.png"),  # upscaled, elongated
    ("shared", "clip-reference/images/wide_odd_601x225.png"),
    ("resources", "image/decode/orientation_6_png.png"),  # EXIF orientation 6
]

QUERIES = [
    "a photo of a cat",
    "a remote control",
    "lamp",
    "",
    "a red leather armchair next to a wooden coffee table with a glass top and a rug",
    "!",  # the pad token itself: its first id is the start token, so not masked
]


def reference_preprocess(image):
    """(uint8 HWC resized RGB, float32 CHW tensor) for a PIL image, as OwlViTImageProcessor."""
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    resized = image.resize((SIZE, SIZE), Image.BICUBIC).convert("RGB")
    pixels = np.asarray(resized, dtype=np.uint8)
    scaled = (pixels.astype(np.float64) * (1 / 255)).astype(np.float32)
    mean = np.asarray(CLIP_MEAN, dtype=np.float32)
    std = np.asarray(CLIP_STD, dtype=np.float32)
    tensor = ((scaled - mean) / std).transpose(2, 0, 1)
    return pixels, np.ascontiguousarray(tensor, dtype="<f4")


def reference_post_process(logits, pred_boxes, target_size, threshold):
    """transformers' OwlViTImageProcessor.post_process_object_detection for one image.

    logits [patches, queries], pred_boxes [patches, 4] (cx, cy, w, h relative),
    target_size (height, width). Returns (scores, labels, boxes) in patch order."""
    best = logits.max(axis=-1)
    labels = logits.argmax(axis=-1)
    scores = 1.0 / (1.0 + np.exp(-best.astype(np.float64)))
    cx, cy, w, h = (pred_boxes[:, i].astype(np.float64) for i in range(4))
    corners = np.stack([cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h], axis=-1)
    height, width = target_size
    corners = corners * np.array([width, height, width, height], dtype=np.float64)
    keep = scores > threshold
    return scores[keep], labels[keep], corners[keep]


def iou(a, b):
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def nms(scores, labels, boxes, iou_threshold):
    """Greedy per-label NMS, best first (ties by lower index): the indices kept."""
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    kept = []
    for i in order:
        if all(labels[j] != labels[i] or iou(boxes[i], boxes[j]) <= iou_threshold for j in kept):
            kept.append(i)
    return kept


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def write_preprocess(args, rng):
    os.makedirs(os.path.join(args.out, "preprocess"), exist_ok=True)
    cases = []
    for source, rel in PREPROCESS_CASES:
        base = os.path.join(args.shared, "fixtures") if source == "shared" else args.resources
        path = os.path.join(base, rel)
        with Image.open(path) as image:
            mode, size = image.mode, list(image.size)
            upright = list(ImageOps.exif_transpose(image).size)
            pixels, tensor = reference_preprocess(image)
        stem = os.path.splitext(os.path.basename(rel))[0]
        png = f"preprocess/{stem}.png"
        Image.fromarray(pixels, "RGB").save(os.path.join(args.out, png), optimize=True)
        flat = tensor.reshape(-1)
        idx = np.sort(rng.choice(flat.size, SAMPLES, replace=False))
        cases.append({
            "source": source, "image": rel, "sha256": sha256_file(path), "mode": mode,
            "size": size, "upright_size": upright, "resized_png": png,
            "tensor_sha256": hashlib.sha256(tensor.tobytes()).hexdigest(),
            "sample_index": [int(i) for i in idx],
            "sample_value": [float(v) for v in flat[idx]],
        })
        print(f"{rel}: {mode} {size} upright {upright} -> {SIZE}x{SIZE}", file=sys.stderr)
    doc = {"size": SIZE, "mean": CLIP_MEAN, "std": CLIP_STD, "layout": "float32 CHW RGB",
           "note": "PIL Image.resize((768, 768), BICUBIC) after exif_transpose; "
                   "float64 * (1/255) -> float32; (x - mean) / std in float32",
           "cases": cases}
    write_json(os.path.join(args.out, "preprocess.json"), doc)


def write_queries(args):
    bpe = ClipBpe(args.vocab)
    cases = []
    for text in QUERIES:
        ids = bpe.encode(text, CONTEXT)
        mask = [1] * len(ids) + [0] * (CONTEXT - len(ids))
        cases.append({"text": text, "input_ids": ids + [PAD_ID] * (CONTEXT - len(ids)),
                      "attention_mask": mask})
    write_json(os.path.join(args.out, "queries.json"),
               {"context": CONTEXT, "pad_id": PAD_ID, "cases": cases})


def post_process_case(rng, name, patches, queries, target_size, threshold, masked=()):
    logits = (rng.standard_normal((patches, queries)) * 2.5 - 1.5).astype(np.float32)
    boxes = np.concatenate([rng.uniform(0.05, 0.95, (patches, 2)),
                            rng.uniform(0.02, 0.6, (patches, 2))], axis=1).astype(np.float32)
    # A cluster of near-duplicate boxes of one query, so that NMS has work to do.
    for p in range(min(6, patches)):
        boxes[p] = boxes[0] + np.float32(0.01 * p)
        logits[p, 0] = np.float32(3.0 - 0.2 * p)
    # The model masks padded queries with float32's lowest value; the reference sees that.
    model_logits = logits.copy()
    for q in masked:
        model_logits[:, q] = np.finfo(np.float32).min
    scores, labels, corners = reference_post_process(model_logits, boxes, target_size, threshold)
    iou_threshold = 0.3
    kept = nms(list(scores), list(labels), [list(b) for b in corners], iou_threshold)
    return {
        "name": name, "patches": patches, "queries": queries,
        "logits": [float(v) for v in logits.reshape(-1)],
        "pred_boxes": [float(v) for v in boxes.reshape(-1)],
        "masked_queries": list(masked), "target_size": list(target_size),
        "threshold": threshold, "nms_iou": iou_threshold,
        "expected": {"scores": [float(s) for s in scores], "labels": [int(l) for l in labels],
                     "boxes": [[float(v) for v in b] for b in corners]},
        "expected_nms": kept,
    }


def write_postprocess(args, rng):
    cases = [
        post_process_case(rng, "tiny 49 patches 3 queries", 49, 3, (480, 640), 0.1),
        post_process_case(rng, "base 576 patches 5 queries, portrait", 576, 5, (1024, 683), 0.3),
        post_process_case(rng, "one query, threshold 0", 64, 1, (300, 300), 0.0),
        post_process_case(rng, "second query masked as padding", 100, 4, (720, 1280), 0.2,
                          masked=(1,)),
        post_process_case(rng, "nothing above threshold", 36, 2, (100, 200), 0.9999),
    ]
    write_json(os.path.join(args.out, "postprocess.json"),
               {"note": "numpy port of post_process_object_detection; expected_nms: indices "
                        "into expected, best first, per-label greedy NMS at nms_iou",
                "cases": cases})


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=1)
        f.write("\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", required=True, help="the shared directory (fixtures, models)")
    parser.add_argument("--resources", required=True, help="models/src/test/resources")
    parser.add_argument("--out", required=True)
    parser.add_argument("--vocab", default=None,
                        help="bpe_simple_vocab_16e6.txt.gz (default: SHARED/models/clip-vocab/)")
    args = parser.parse_args(argv)
    if args.vocab is None:
        args.vocab = os.path.join(args.shared, "models", "clip-vocab",
                                  "bpe_simple_vocab_16e6.txt.gz")
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(SEED)
    write_preprocess(args, rng)
    write_queries(args)
    write_postprocess(args, rng)


if __name__ == "__main__":
    main()
