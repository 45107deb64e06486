"""Shared facts of the offline model's training pipeline: sizes, splits, file formats.

Everything that the training (train.py), the export and the evaluation (evaluate.py) must agree on
lives here, so a change of the input size or the held-out split is made in one place.
"""

import hashlib
import json
import os

import numpy as np

MODEL_ID = "clipsearch-emoji-mini"
IMAGE_SIZE = 64            # model input: 64 x 64 RGB, stated in the manifest
MEAN = (0.5, 0.5, 0.5)     # per-channel normalization, stated in the manifest
STD = (0.5, 0.5, 0.5)
TEXT_WIDTH = 384           # all-MiniLM-L6-v2 sentence embedding
EMBED_DIM = 256            # the shared space
CONTEXT_LENGTH = 128
STYLES = ("fluent-3d", "noto", "twemoji")
HELD_OUT_STYLE = "twemoji"
HELD_OUT_SHARE = 10        # one concept in HELD_OUT_SHARE is held out (by a hash of its id)

MINILM_ONNX = "classpath:all-minilm-l6-v2.onnx"
MINILM_TOKENIZER = "classpath:all-minilm-l6-v2-tokenizer.json"


def read_concepts(data_dir):
    """concepts.jsonl written by `clipsearch sample-data training-set`, in file order."""
    with open(os.path.join(data_dir, "concepts.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def is_held_out_concept(concept_id):
    """The fixed held-out concept split: a hash of the id, independent of file order and seed."""
    digest = hashlib.sha256(("held-out:" + concept_id).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % HELD_OUT_SHARE == 0


def captions(concept):
    """The training captions of a concept; the first is its plain name (the evaluation query)."""
    label = concept["label"]
    tags = [t for t in concept["tags"] if t and t != label][:8]
    out = [label, "a photo of a " + label]
    if tags:
        out.append(label + ", " + ", ".join(tags))
        out.append(", ".join(tags))
    if concept.get("category"):
        out.append(label + ", " + concept["category"])
    else:
        out.append(label + ", " + concept["subgroup"].replace("-", " "))
    seen = set()
    return [c for c in out if not (c in seen or seen.add(c))]


def read_paraphrases(path):
    """(query, [expected ids]) pairs of paraphrases.tsv."""
    pairs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            query, expected = line.rstrip("\n").split("\t")
            pairs.append((query, expected.split(",")))
    return pairs


def read_f32(path, width):
    """A matrix written by `clipsearch inspect embed-batch`: little-endian float32 rows."""
    data = np.fromfile(path, dtype="<f4")
    if data.size % width:
        raise ValueError(f"{path}: {data.size} floats is not a multiple of {width}")
    return data.reshape(-1, width)


def write_lines(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        for line in lines:
            if "\n" in line:
                raise ValueError(f"a line with a newline: {line!r}")
            f.write(line + "\n")


def text_tower_manifest():
    """The manifest's text tower: MiniLM from the class path, mean-pooled over the attention mask."""
    return {
        "onnx": MINILM_ONNX,
        "tokenizer": MINILM_TOKENIZER,
        "contextLength": CONTEXT_LENGTH,
        "output": "last_hidden_state",
        "pooling": "mean",
    }
