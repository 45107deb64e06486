#!/usr/bin/python3
"""Writes SigLIP-architecture ONNX models with seeded random weights, for tests and benchmarks.

The sibling of generate_clip.py (whose graph builder and weight helpers it uses): the layout of a
transformers.js / optimum SigLIP export, as Xenova/siglip-base-patch16-224 has it, under
``--out``:

  onnx/vision_model.onnx   pixel_values [batch, 3, S, S] float -> last_hidden_state,
                           pooler_output [batch, width]
  onnx/text_model.onnx     input_ids [batch, sequence_length] int64 -> last_hidden_state,
                           pooler_output [batch, width]
  tokenizer.json           the small SentencePiece Unigram tokenizer of the tests (SigLIP's shape,
                           models/reference/siglip_tokenizer_reference.py)
  preprocessor_config.json SiglipImageProcessor: size {height, width}, no crop, mean = std = 0.5
  config.json              model_type "siglip", text_config.max_position_embeddings = 64, and
                           logit_scale / logit_bias (see below)
  expected.json            float64 numpy forward pass of the same weights: embeddings of a few
                           texts (ids padded to 64 with </s>, as SigLIP's processor does with
                           padding="max_length") and of the image tensors in expected/

Architecture (Hugging Face's SiglipModel): the image tower is a ViT without class token (patch
convolution with bias, position embeddings, pre-norm blocks with tanh-GELU, LayerNorm eps 1e-6,
post LayerNorm) ending in the multihead attention pooling head (a learned probe attends over the
tokens, then LayerNorm and an MLP with a residual); the text tower is a bidirectional transformer
(no mask: SigLIP pads every text to 64 tokens) whose pooled output is the LAST position's features
after the final LayerNorm, through a linear head. ``--size full`` is SigLIP base: ViT-B/16 at 224
(196 patches, width 768, 12 layers), text width 768, 12 layers, 64 tokens, 32,000 embeddings, so
its FLOPs are those of google/siglip-base-patch16-224.

Scores: SigLIP's zero-shot probability is sigmoid(exp(logit_scale) * cos + logit_bias), with two
learned scalars that Hugging Face's config.json does not hold (they are weights). The generator
writes its own (the values SigLIP training starts from: logit_scale = log 10, logit_bias = -10)
into config.json as ``logit_scale`` and ``logit_bias``, which clipsearch reads when present.

No pretrained weights; the outputs mean nothing. Needs python3-onnx and python3-numpy.
"""

import argparse
import json
import math
import os
import shutil
import sys

import numpy as np
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate_clip import (  # noqa: E402  (the sibling script, shared graph and weight helpers)
    Graph, Weights, np_attention, np_linear, save, unit, write_json)

EPS = 1e-6
MEAN = [0.5, 0.5, 0.5]
STD = [0.5, 0.5, 0.5]
PAD_ID = 1  # </s>: SigLIP pads with its end token
LOGIT_SCALE = math.log(10.0)
LOGIT_BIAS = -10.0

SIZES = {
    # Real 224 px / patch 16 geometry and 64-token context, tiny widths.
    "tiny": dict(image_size=224, patch=16, vision_width=32, vision_layers=2, vision_heads=2,
                 text_width=32, text_layers=2, text_heads=2, context_length=64, vocab=280),
    # google/siglip-base-patch16-224.
    "full": dict(image_size=224, patch=16, vision_width=768, vision_layers=12, vision_heads=12,
                 text_width=768, text_layers=12, text_heads=12, context_length=64, vocab=32000),
}

# Texts of the tokenizer fixture whose reference ids (from SentencePiece) expected.json uses, so
# that no tokenizer is needed here.
EXPECTED_CASES = ["plain_query", "clip_prompt", "accents_precomposed", "japanese",
                  "emoji_unknown", "empty", "long_repeated"]
EXPECTED_IMAGES = 3


def tokenizer_dir():
    return os.path.normpath(os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "dev",
        "clipsearch", "models", "text", "siglip"))


# -- weights --------------------------------------------------------------------------------------


def block_weights(w, name, width):
    w.block(name, width)  # ln1, attn.{q,k,v,o}, ln2, fc1 (4x), fc2


def vision_weights(cfg, seed):
    w = Weights(seed)
    width, patch = cfg["vision_width"], cfg["patch"]
    grid = cfg["image_size"] // patch
    w.normal("v.patch", (width, 3, patch, patch), 1.0 / np.sqrt(3 * patch * patch))
    w.normal("v.patch_b", (width,), 0.02)
    w.normal("v.pos", (grid * grid, width), 0.3)
    for i in range(cfg["vision_layers"]):
        block_weights(w, f"v.blk{i}", width)
    w.layer_norm("v.ln_post", width)
    w.normal("h.probe", (width,), 1.0)
    for p in ("q", "k", "v", "o"):
        w.linear(f"h.attn.{p}", width, width)
    w.layer_norm("h.ln", width)
    w.linear("h.fc1", width, 4 * width)
    w.linear("h.fc2", 4 * width, width)
    return w


def text_weights(cfg, seed):
    w = Weights(seed)
    width = cfg["text_width"]
    w.normal("t.tok", (cfg["vocab"], width), 1.0)
    w.normal("t.pos", (cfg["context_length"], width), 0.3)
    for i in range(cfg["text_layers"]):
        block_weights(w, f"t.blk{i}", width)
    w.layer_norm("t.ln_final", width)
    w.linear("t.head", width, width)
    return w


# -- graphs ---------------------------------------------------------------------------------------


def block(g, x, w, name, heads, width):
    x = g.op("Add", [x, g.attention(g.layer_norm(x, w, name + ".ln1", EPS), w, name + ".attn",
                                    heads, width)])
    h = g.linear(g.gelu_tanh(g.linear(g.layer_norm(x, w, name + ".ln2", EPS), w, name + ".fc1")),
                 w, name + ".fc2")
    return g.op("Add", [x, h])


def vision_model(cfg, w):
    g = Graph()
    width, size, heads = cfg["vision_width"], cfg["image_size"], cfg["vision_heads"]
    head = width // heads
    patches = g.op("Conv", ["pixel_values", g.weight("v.patch", w["v.patch"]),
                            g.weight("v.patch_b", w["v.patch_b"])],
                   kernel_shape=[cfg["patch"]] * 2, strides=[cfg["patch"]] * 2)
    x = g.op("Transpose", [g.op("Reshape", [patches, g.ints("flat", [0, width, -1])])],
             perm=[0, 2, 1])
    x = g.op("Add", [x, g.weight("v.pos", w["v.pos"])])
    for i in range(cfg["vision_layers"]):
        x = block(g, x, w, f"v.blk{i}", heads, width)
    x = g.layer_norm(x, w, "v.ln_post", EPS)
    g.op("Identity", [x], outputs=["last_hidden_state"])
    # attention pooling: the probe is the only query
    probe = g.op("Reshape", [g.weight("h.probe", w["h.probe"]), g.ints("probe", [1, width])])
    q = g.op("Reshape", [g.linear(probe, w, "h.attn.q"), g.ints("q", [1, heads, 1, head])])
    split = g.ints("heads", [0, 0, heads, head])
    k = g.op("Transpose", [g.op("Reshape", [g.linear(x, w, "h.attn.k"), split])],
             perm=[0, 2, 3, 1])
    v = g.op("Transpose", [g.op("Reshape", [g.linear(x, w, "h.attn.v"), split])],
             perm=[0, 2, 1, 3])
    scores = g.op("Mul", [g.op("MatMul", [q, k]), g.const("scale", np.float32(1 / np.sqrt(head)))])
    ctx = g.op("MatMul", [g.op("Softmax", [scores], axis=-1), v])
    merged = g.op("Reshape", [g.op("Transpose", [ctx], perm=[0, 2, 1, 3]),
                              g.ints("merged", [0, 0, width])])
    y = g.linear(merged, w, "h.attn.o")
    y = g.op("Add", [y, g.linear(g.gelu_tanh(g.linear(g.layer_norm(y, w, "h.ln", EPS), w,
                                                      "h.fc1")), w, "h.fc2")])
    g.op("Squeeze", [y, g.ints("ax", [1])], outputs=["pooler_output"])
    grid = size // cfg["patch"]
    inputs = [helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT,
                                            ["batch_size", 3, size, size])]
    outputs = [
        helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT,
                                      ["batch_size", grid * grid, width]),
        helper.make_tensor_value_info("pooler_output", TensorProto.FLOAT, ["batch_size", width]),
    ]
    return g.model(inputs, outputs, "siglip_vision", "SigLIP image tower, random weights")


def text_model(cfg, w):
    g = Graph()
    width = cfg["text_width"]
    seq_len = g.dim("input_ids", 1)
    x = g.op("Gather", [g.weight("t.tok", w["t.tok"]), "input_ids"], axis=0)
    x = g.op("Add", [x, g.op("Slice", [g.weight("t.pos", w["t.pos"]), g.ints("s", [0]), seq_len,
                                       g.ints("a", [0])])])
    for i in range(cfg["text_layers"]):
        x = block(g, x, w, f"t.blk{i}", cfg["text_heads"], width)
    x = g.layer_norm(x, w, "t.ln_final", EPS)
    g.op("Identity", [x], outputs=["last_hidden_state"])
    last = g.op("Gather", [x, g.const("last", np.array(-1, dtype=np.int64))], axis=1)
    g.op("Identity", [g.linear(last, w, "t.head")], outputs=["pooler_output"])
    inputs = [helper.make_tensor_value_info("input_ids", TensorProto.INT64,
                                            ["batch_size", "sequence_length"])]
    outputs = [
        helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT,
                                      ["batch_size", "sequence_length", width]),
        helper.make_tensor_value_info("pooler_output", TensorProto.FLOAT, ["batch_size", width]),
    ]
    return g.model(inputs, outputs, "siglip_text", "SigLIP text tower, random weights")


# -- numpy float64 forward pass -------------------------------------------------------------------


def np_ln(x, w, name):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + EPS) * w[name + ".g"] + w[name + ".b"]


def np_gelu_tanh(h):
    return 0.5 * h * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (h + 0.044715 * h ** 3)))


def np_block(x, w, name, heads):
    x = x + np_attention(np_ln(x, w, name + ".ln1"), w, name + ".attn", heads)
    return x + np_linear(np_gelu_tanh(np_linear(np_ln(x, w, name + ".ln2"), w, name + ".fc1")),
                         w, name + ".fc2")


def np_vision(cfg, w, pixels):
    p, width, heads = cfg["patch"], cfg["vision_width"], cfg["vision_heads"]
    grid = cfg["image_size"] // p
    cols = pixels.reshape(3, grid, p, grid, p).transpose(1, 3, 0, 2, 4).reshape(grid * grid, -1)
    x = cols @ w["v.patch"].reshape(width, -1).T + w["v.patch_b"] + w["v.pos"]
    for i in range(cfg["vision_layers"]):
        x = np_block(x, w, f"v.blk{i}", heads)
    x = np_ln(x, w, "v.ln_post")
    head = width // heads
    q = np_linear(w["h.probe"][None, :], w, "h.attn.q").reshape(heads, 1, head)
    k = np_linear(x, w, "h.attn.k").reshape(-1, heads, head).transpose(1, 0, 2)
    v = np_linear(x, w, "h.attn.v").reshape(-1, heads, head).transpose(1, 0, 2)
    s = q @ k.transpose(0, 2, 1) / np.sqrt(head)
    s = np.exp(s - s.max(-1, keepdims=True))
    s /= s.sum(-1, keepdims=True)
    y = np_linear((s @ v).transpose(1, 0, 2).reshape(1, width), w, "h.attn.o")
    y = y + np_linear(np_gelu_tanh(np_linear(np_ln(y, w, "h.ln"), w, "h.fc1")), w, "h.fc2")
    return y[0]


def np_text(cfg, w, ids):
    ids = np.asarray(ids)
    x = w["t.tok"][ids] + w["t.pos"][:len(ids)]
    for i in range(cfg["text_layers"]):
        x = np_block(x, w, f"t.blk{i}", cfg["text_heads"])
    return np_linear(np_ln(x, w, "t.ln_final")[-1], w, "t.head")


# -- writing --------------------------------------------------------------------------------------


def image_tensors(cfg, seed):
    rng = np.random.default_rng(seed + 1000)
    size = cfg["image_size"]
    out = [rng.uniform(-1, 1, (3, size, size)).astype(np.float32)
           for _ in range(EXPECTED_IMAGES - 1)]
    yy, xx = np.meshgrid(np.linspace(-1, 1, size), np.linspace(-1, 1, size), indexing="ij")
    out.append(np.stack([np.sin(3 * xx), np.cos(2 * yy), xx * yy]).astype(np.float32))
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="directory to create (must not exist)")
    parser.add_argument("--size", choices=sorted(SIZES), default="tiny")
    parser.add_argument("--seed", type=int, default=20240501)
    args = parser.parse_args(argv)
    if os.path.exists(args.out):
        parser.error(f"{args.out} already exists")
    cfg = SIZES[args.size]
    out = args.out
    vw = vision_weights(cfg, args.seed + 10)
    tw = text_weights(cfg, args.seed + 11)
    save(vision_model(cfg, vw), os.path.join(out, "onnx", "vision_model.onnx"))
    save(text_model(cfg, tw), os.path.join(out, "onnx", "text_model.onnx"))
    shutil.copyfile(os.path.join(tokenizer_dir(), "tokenizer.json"),
                    os.path.join(out, "tokenizer.json"))
    size, ctx = cfg["image_size"], cfg["context_length"]
    write_json(os.path.join(out, "preprocessor_config.json"), {
        "do_normalize": True, "do_rescale": True, "do_resize": True,
        "image_mean": MEAN, "image_std": STD, "image_processor_type": "SiglipImageProcessor",
        "processor_class": "SiglipProcessor", "resample": 3, "rescale_factor": 1 / 255,
        "size": {"height": size, "width": size},
    })
    write_json(os.path.join(out, "config.json"), {
        "_name_or_path": f"clipsearch/random-siglip-{args.size}",
        "architectures": ["SiglipModel"], "model_type": "siglip", "initializer_factor": 1.0,
        "logit_scale": LOGIT_SCALE, "logit_bias": LOGIT_BIAS,
        "text_config": {"model_type": "siglip_text_model", "hidden_size": cfg["text_width"],
                        "intermediate_size": 4 * cfg["text_width"],
                        "num_attention_heads": cfg["text_heads"],
                        "num_hidden_layers": cfg["text_layers"],
                        "max_position_embeddings": ctx, "vocab_size": cfg["vocab"],
                        "pad_token_id": PAD_ID, "eos_token_id": PAD_ID},
        "vision_config": {"model_type": "siglip_vision_model",
                          "hidden_size": cfg["vision_width"],
                          "intermediate_size": 4 * cfg["vision_width"],
                          "num_attention_heads": cfg["vision_heads"],
                          "num_hidden_layers": cfg["vision_layers"], "image_size": size,
                          "patch_size": cfg["patch"]},
        "clipsearch_generator": {"seed": args.seed, "size": args.size},
    })
    with open(os.path.join(tokenizer_dir(), "reference-ids.json"), encoding="utf-8") as f:
        reference = {c["name"]: c for c in json.load(f)["cases"]}
    texts = []
    for name in EXPECTED_CASES:
        ids = reference[name]["ids"][:ctx]
        padded = ids + [PAD_ID] * (ctx - len(ids))
        emb = unit(np_text(cfg, tw, padded))
        texts.append({"text": reference[name]["text"], "ids": ids,
                      "embedding": [round(float(v), 7) for v in emb]})
    os.makedirs(os.path.join(out, "expected"), exist_ok=True)
    images = []
    for i, tensor in enumerate(image_tensors(cfg, args.seed)):
        name = f"expected/image-{i}.f32"
        tensor.astype("<f4").tofile(os.path.join(out, name))
        emb = unit(np_vision(cfg, vw, tensor.astype(np.float64)))
        images.append({"tensor": name, "shape": list(tensor.shape),
                       "embedding": [round(float(v), 7) for v in emb]})
    write_json(os.path.join(out, "expected.json"), {
        "note": "float64 numpy forward pass of the same weights; embeddings L2-normalized; text"
                " ids padded to the context with </s> before the pass",
        "layout": "hf-siglip", "logit_scale": LOGIT_SCALE, "logit_bias": LOGIT_BIAS,
        "images": images, "texts": texts})
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
