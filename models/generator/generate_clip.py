#!/usr/bin/python3
"""Writes CLIP-architecture ONNX models with seeded random weights, for tests and benchmarks.

No pretrained weights are involved: every weight is drawn from a seeded generator, scaled so that
activations stay in a sane range (pre-LayerNorm transformer blocks, 1/sqrt(fan_in) matrices), so
the outputs are non-degenerate and different inputs give different vectors. The architecture is
CLIP's, so the FLOPs of ``--size full`` are those of OpenAI's ViT-B/32.

Layouts written under ``--out`` (one sub-directory each, see models/MODEL_FORMAT.md):

  hf         Hugging Face / transformers.js export: onnx/{vision,text}_model{,_quantized,_fp16}.onnx,
             tokenizer.json, preprocessor_config.json, config.json. Dynamic batch and sequence
             length, int64 input_ids.
  open_clip  open_clip export as Immich ships it: visual/model.onnx (input ``image``),
             textual/model.onnx (input ``text``, int32, fixed [1, 77]), config.json,
             visual/preprocess_cfg.json, textual/bpe_simple_vocab_16e6.txt.gz. Fixed batch of 1.
  manifest   clipsearch-model.json with the same image tower and a sentence-transformers style
             text tower: a tiny BERT-like encoder (WordPiece tokenizer.json; input_ids,
             attention_mask, token_type_ids -> last_hidden_state), mean pooling, projection file.
  st         sentence-transformers/clip-ViT-B-32-multilingual-v1's files: modules.json,
             sentence_bert_config.json, config.json, a cased WordPiece tokenizer.json, a
             DistilBERT-shaped onnx/model.onnx (input_ids, attention_mask -> last_hidden_state),
             1_Pooling/config.json (mean), 2_Dense/config.json and 2_Dense/model.safetensors
             (768 -> 512 at full size, no bias, identity); the CLIP image tower in image/
             (onnx/vision_model.onnx, config.json, preprocessor_config.json).

The ``hf`` and ``open_clip`` layouts share the same CLIP weights, and ``manifest`` and ``st`` share
the image tower, so the same input must give the same vector in every layout that shares a tower.

``--size full --arch b16`` or ``l14`` writes the geometry of OpenAI's ViT-B/16 or ViT-L/14 (patch
16 / 14; L/14's 1024-wide, 24-layer vision and 768-wide text towers, 768-d embeddings) for timing;
L/14 is about 1.7 GB in fp32, so write it outside the checkout.

Each layout directory also gets ``expected.json``: embeddings of a few texts and of the image
tensors in ``expected/``, computed by a float64 numpy forward pass of the same weights. Tests feed
the same inputs through the Java runtime and compare.

Needs only Debian's python3-onnx and python3-numpy; no network, no torch.
"""

import argparse
import gzip
import html
import json
import os
import re
import shutil
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17  # LayerNormalization is a standard op from opset 17 on

# --fp16-compute: the fp16 variant computes in float16 (what a GPU runs fast) instead of storing
# float16 weights and computing in float32. ONNX Runtime's CPU provider still runs it, inserting
# casts around the ops it has no float16 kernel for.
FP16_COMPUTE = False
FP16_MAX = 65504.0
CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]
CLIP_VOCAB_SIZE = 49408
SOT, EOT = 49406, 49407  # <|startoftext|>, <|endoftext|>: the last two ids of the CLIP vocabulary
LN_EPS = 1e-5
BERT_LN_EPS = 1e-12

SIZES = {
    # Small enough for unit tests, with the real 224 px / patch 32 geometry and 77-token context
    # so that preprocessing and padding are the real ones.
    "tiny": dict(
        image_size=224, patch=32, vision_width=64, vision_layers=2, vision_heads=4,
        text_width=48, text_layers=2, text_heads=4, context_length=77, embed_dim=64,
        bert_width=32, bert_layers=1, bert_heads=2, bert_context=128,
    ),
    # OpenAI CLIP ViT-B/32.
    "full": dict(
        image_size=224, patch=32, vision_width=768, vision_layers=12, vision_heads=12,
        text_width=512, text_layers=12, text_heads=8, context_length=77, embed_dim=512,
        bert_width=384, bert_layers=6, bert_heads=12, bert_context=256,
    ),
}

# --arch: the full-size geometry of each OpenAI CLIP, applied over SIZES["full"] (which is B/32).
ARCHS = {
    "b32": {},
    "b16": dict(patch=16),
    "l14": dict(patch=14, vision_width=1024, vision_layers=24, vision_heads=16, text_width=768,
                text_layers=12, text_heads=12, embed_dim=768),
}

# The ``st`` layout's text tower: DistilBERT as sentence-transformers/clip-ViT-B-32-multilingual-v1
# has it (config.json: dim 768, 6 layers, 12 heads, hidden_dim 3072, vocab 119547, 512 positions;
# sentence_bert_config.json: max_seq_length 128), then mean pooling and a 768 -> 512 Dense without
# bias. The tiny one keeps the shape at toy widths.
DISTILBERT = {
    "tiny": dict(dim=32, layers=1, heads=2, hidden=128, positions=128, max_seq=128,
                 vocab_size=None),
    "full": dict(dim=768, layers=6, heads=12, hidden=3072, positions=512, max_seq=128,
                 vocab_size=119547),
}

# Texts whose embeddings go into expected.json. ASCII only: the reference BPE below handles ASCII.
EXPECTED_TEXTS = [
    "a photo of a cat",
    "red running shoes",
    "There are two cats.",
    "a",
    # longer than every context length: exercises truncation that keeps the end token
    " ".join(["leather boots"] * 80),
]
EXPECTED_IMAGES = 3


# ----------------------------------------------------------------------------------------------
# Weights
# ----------------------------------------------------------------------------------------------


class Weights:
    """Named float64 arrays drawn from one seeded generator, in a fixed order."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.arrays = {}

    def normal(self, name, shape, std):
        a = self.rng.standard_normal(shape) * std
        self.arrays[name] = a
        return a

    def linear(self, name, fan_in, fan_out):
        self.normal(name + ".w", (fan_in, fan_out), 1.0 / np.sqrt(fan_in))
        self.normal(name + ".b", (fan_out,), 0.02)

    def layer_norm(self, name, width):
        # Near-identity scale and small shift: LayerNorm is part of the graph, not a no-op.
        self.arrays[name + ".g"] = 1.0 + self.rng.standard_normal(width) * 0.1
        self.arrays[name + ".b"] = self.rng.standard_normal(width) * 0.05

    def block(self, name, width):
        self.layer_norm(name + ".ln1", width)
        for p in ("q", "k", "v", "o"):
            self.linear(f"{name}.attn.{p}", width, width)
        self.layer_norm(name + ".ln2", width)
        self.linear(name + ".fc1", width, 4 * width)
        self.linear(name + ".fc2", 4 * width, width)

    def __getitem__(self, name):
        return self.arrays[name]


def vision_weights(cfg, seed):
    w = Weights(seed)
    width, patch = cfg["vision_width"], cfg["patch"]
    grid = cfg["image_size"] // patch
    w.normal("v.patch", (width, 3, patch, patch), 1.0 / np.sqrt(3 * patch * patch))
    w.normal("v.cls", (width,), 1.0)
    w.normal("v.pos", (grid * grid + 1, width), 0.3)
    w.layer_norm("v.ln_pre", width)
    for i in range(cfg["vision_layers"]):
        w.block(f"v.blk{i}", width)
    w.layer_norm("v.ln_post", width)
    w.normal("v.proj", (width, cfg["embed_dim"]), 1.0 / np.sqrt(width))
    return w


def text_weights(cfg, seed):
    w = Weights(seed)
    width = cfg["text_width"]
    w.normal("t.tok", (CLIP_VOCAB_SIZE, width), 1.0)
    w.normal("t.pos", (cfg["context_length"], width), 0.3)
    for i in range(cfg["text_layers"]):
        w.block(f"t.blk{i}", width)
    w.layer_norm("t.ln_final", width)
    w.normal("t.proj", (width, cfg["embed_dim"]), 1.0 / np.sqrt(width))
    return w


def bert_weights(cfg, vocab_size, seed):
    w = Weights(seed)
    width = cfg["bert_width"]
    w.normal("b.word", (vocab_size, width), 1.0)
    w.normal("b.pos", (cfg["bert_context"], width), 0.3)
    w.normal("b.type", (2, width), 0.3)
    w.layer_norm("b.ln_emb", width)
    for i in range(cfg["bert_layers"]):
        w.block(f"b.blk{i}", width)
    w.normal("b.proj", (width, cfg["embed_dim"]), 1.0 / np.sqrt(width))
    return w


# ----------------------------------------------------------------------------------------------
# ONNX graph building
# ----------------------------------------------------------------------------------------------


class Graph:
    """Accumulates nodes and initializers. ``variant`` decides how float weights are stored:
    fp32 as is; fp16 stored as float16 and cast to float32 in the graph (float16 model inputs and
    outputs too, computation in float32 so every CPU kernel exists); quantized stores matrices as
    int8 with a per-tensor scale behind DequantizeLinear. With ``FP16_COMPUTE`` the fp16 variant
    keeps everything float16 instead: weights, constants (clipped to float16's range, so a -1e9
    mask stays finite), activations."""

    def __init__(self, variant="fp32"):
        self.variant = variant
        self.compute16 = variant == "fp16" and FP16_COMPUTE
        self.nodes = []
        self.initializers = []
        self.count = 0

    def _name(self, hint):
        self.count += 1
        return f"{hint}_{self.count}"

    def const(self, hint, array):
        name = self._name(hint)
        a = np.asarray(array)
        if self.compute16 and a.dtype.kind == "f":
            a = np.clip(a, -FP16_MAX, FP16_MAX).astype(np.float16)
        self.initializers.append(numpy_helper.from_array(a, name))
        return name

    def weight(self, name, array):
        a = np.asarray(array, dtype=np.float64)
        if self.compute16:
            return self.const(name, a.astype(np.float16))
        if self.variant == "fp16":
            stored = self.const(name, a.astype(np.float16))
            return self.op("Cast", [stored], to=TensorProto.FLOAT)
        if self.variant == "quantized" and a.ndim == 2 and a.shape[0] < CLIP_VOCAB_SIZE:
            scale = max(np.abs(a).max(), 1e-8) / 127.0
            q = np.clip(np.round(a / scale), -127, 127).astype(np.int8)
            return self.op(
                "DequantizeLinear",
                [self.const(name, q), self.const(name + "_scale", np.float32(scale)),
                 self.const(name + "_zero", np.int8(0))],
            )
        return self.const(name, a.astype(np.float32))

    def op(self, op_type, inputs, outputs=None, **attrs):
        out = outputs or [self._name(op_type.lower())]
        self.nodes.append(helper.make_node(op_type, inputs, out, **attrs))
        return out[0] if len(out) == 1 else out

    def ints(self, hint, values):
        return self.const(hint, np.array(values, dtype=np.int64))

    # -- layers ---------------------------------------------------------------------------------

    def linear(self, x, w, name):
        return self.op("Add", [self.op("MatMul", [x, self.weight(name + ".w", w[name + ".w"])]),
                               self.weight(name + ".b", w[name + ".b"])])

    def layer_norm(self, x, w, name, eps=LN_EPS):
        return self.op("LayerNormalization",
                       [x, self.weight(name + ".g", w[name + ".g"]),
                        self.weight(name + ".b", w[name + ".b"])],
                       axis=-1, epsilon=eps)

    def attention(self, x, w, name, heads, width, additive_mask=None):
        head = width // heads
        split = self.ints("heads_shape", [0, 0, heads, head])
        q = self.op("Transpose", [self.op("Reshape", [self.linear(x, w, name + ".q"), split])],
                    perm=[0, 2, 1, 3])
        k = self.op("Transpose", [self.op("Reshape", [self.linear(x, w, name + ".k"), split])],
                    perm=[0, 2, 3, 1])
        v = self.op("Transpose", [self.op("Reshape", [self.linear(x, w, name + ".v"), split])],
                    perm=[0, 2, 1, 3])
        scores = self.op("Mul", [self.op("MatMul", [q, k]),
                                 self.const("scale", np.float32(1.0 / np.sqrt(head)))])
        if additive_mask is not None:
            scores = self.op("Add", [scores, additive_mask])
        ctx = self.op("MatMul", [self.op("Softmax", [scores], axis=-1), v])
        merged = self.op("Reshape", [self.op("Transpose", [ctx], perm=[0, 2, 1, 3]),
                                     self.ints("merged_shape", [0, 0, width])])
        return self.linear(merged, w, name + ".o")

    def quick_gelu(self, x):
        return self.op("Mul", [x, self.op("Sigmoid", [self.op("Mul", [x, self.const(
            "qg", np.float32(1.702))])])])

    def gelu_tanh(self, x):
        cube = self.op("Mul", [self.op("Mul", [x, x]), x])
        inner = self.op("Add", [x, self.op("Mul", [cube, self.const("g1", np.float32(0.044715))])])
        t = self.op("Tanh", [self.op("Mul", [inner, self.const(
            "g2", np.float32(np.sqrt(2.0 / np.pi)))])])
        return self.op("Mul", [self.op("Mul", [x, self.const("half", np.float32(0.5))]),
                               self.op("Add", [t, self.const("one", np.float32(1.0))])])

    def pre_norm_block(self, x, w, name, heads, width, mask=None):
        x = self.op("Add", [x, self.attention(self.layer_norm(x, w, name + ".ln1"), w,
                                              name + ".attn", heads, width, mask)])
        h = self.linear(self.quick_gelu(self.linear(self.layer_norm(x, w, name + ".ln2"), w,
                                                    name + ".fc1")), w, name + ".fc2")
        return self.op("Add", [x, h])

    def gelu_erf(self, x):
        """The exact GELU, x * (1 + erf(x / sqrt 2)) / 2, as DistilBERT's "gelu" is."""
        e = self.op("Erf", [self.op("Mul", [x, self.const("rs2", np.float32(1 / np.sqrt(2)))])])
        return self.op("Mul", [self.op("Mul", [x, self.const("half", np.float32(0.5))]),
                               self.op("Add", [e, self.const("one", np.float32(1.0))])])

    def post_norm_block(self, x, w, name, heads, width, mask, act=None):
        x = self.layer_norm(self.op("Add", [x, self.attention(x, w, name + ".attn", heads, width,
                                                              mask)]),
                            w, name + ".ln1", BERT_LN_EPS)
        act = act or self.gelu_tanh
        h = self.linear(act(self.linear(x, w, name + ".fc1")), w, name + ".fc2")
        return self.layer_norm(self.op("Add", [x, h]), w, name + ".ln2", BERT_LN_EPS)

    def dim(self, tensor, axis):
        """A 1-element int64 tensor holding ``tensor``'s size along ``axis``."""
        return self.op("Slice", [self.op("Shape", [tensor]), self.ints("s", [axis]),
                                 self.ints("e", [axis + 1])])

    def l2_normalize(self, x):
        return self.op("Div", [x, self.op("ReduceL2", [x], axes=[-1], keepdims=1)])

    def model(self, inputs, outputs, name, doc):
        graph = helper.make_graph(self.nodes, name, inputs, outputs, self.initializers)
        m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="clipsearch-generate-clip", doc_string=doc)
        onnx.checker.check_model(m)
        return m


def float_type(variant):
    return TensorProto.FLOAT16 if variant == "fp16" else TensorProto.FLOAT


def vision_model(cfg, w, input_name, output_name, batch, variant="fp32", hidden_output=None,
                 normalize=False):
    """CLIP ViT: conv patch embedding, class token, positions, ln_pre, pre-norm blocks,
    ln_post on the class token, projection."""
    g = Graph(variant)
    width, size = cfg["vision_width"], cfg["image_size"]
    pixels = input_name
    if variant == "fp16" and not g.compute16:
        pixels = g.op("Cast", [input_name], to=TensorProto.FLOAT)
    patches = g.op("Conv", [pixels, g.weight("v.patch", w["v.patch"])],
                   kernel_shape=[cfg["patch"], cfg["patch"]], strides=[cfg["patch"], cfg["patch"]])
    tokens = g.op("Transpose", [g.op("Reshape", [patches, g.ints("flat", [0, width, -1])])],
                  perm=[0, 2, 1])
    cls_shape = g.op("Concat", [g.dim(pixels, 0), g.ints("one_w", [1, width])], axis=0)
    cls = g.op("Expand", [g.op("Reshape", [g.weight("v.cls", w["v.cls"]),
                                            g.ints("cls_shape", [1, 1, width])]), cls_shape])
    x = g.op("Add", [g.op("Concat", [cls, tokens], axis=1), g.weight("v.pos", w["v.pos"])])
    x = g.layer_norm(x, w, "v.ln_pre")
    for i in range(cfg["vision_layers"]):
        x = g.pre_norm_block(x, w, f"v.blk{i}", cfg["vision_heads"], width)
    outputs = []
    if hidden_output:
        finish(g, x, hidden_output, variant)
    first = g.op("Squeeze", [g.op("Slice", [x, g.ints("s", [0]), g.ints("e", [1]),
                                            g.ints("a", [1])]), g.ints("ax", [1])])
    emb = g.op("MatMul", [g.layer_norm(first, w, "v.ln_post"), g.weight("v.proj", w["v.proj"])])
    if normalize:
        emb = g.l2_normalize(emb)
    finish(g, emb, output_name, variant)
    ftype = float_type(variant)
    outputs.append(helper.make_tensor_value_info(output_name, ftype, [batch, cfg["embed_dim"]]))
    if hidden_output:
        outputs.append(helper.make_tensor_value_info(
            hidden_output, ftype, [batch, (size // cfg["patch"]) ** 2 + 1, width]))
    inputs = [helper.make_tensor_value_info(input_name, ftype, [batch, 3, size, size])]
    return g.model(inputs, outputs, "clip_vision", "CLIP ViT image tower, random weights")


def finish(g, value, output_name, variant):
    if variant == "fp16" and not g.compute16:
        g.op("Cast", [value], outputs=[output_name], to=TensorProto.FLOAT16)
    else:
        g.op("Identity", [value], outputs=[output_name])


def text_model(cfg, w, input_name, output_name, batch, seq, id_type, variant="fp32",
               hidden_output=None, normalize=False):
    """CLIP text transformer: token and position embeddings, causal pre-norm blocks, final LN,
    the features at the end-of-text token (argmax of the ids, as CLIP does), projection."""
    g = Graph(variant)
    width, ctx = cfg["text_width"], cfg["context_length"]
    seq_len = g.dim(input_name, 1)
    x = g.op("Gather", [g.weight("t.tok", w["t.tok"]), input_name], axis=0)
    pos = g.op("Slice", [g.weight("t.pos", w["t.pos"]), g.ints("s", [0]), seq_len,
                         g.ints("a", [0])])
    x = g.op("Add", [x, pos])
    causal = np.triu(np.full((ctx, ctx), -1e9, dtype=np.float32), k=1)
    mask = g.op("Slice", [g.const("causal", causal), g.ints("s", [0, 0]),
                          g.op("Concat", [seq_len, seq_len], axis=0), g.ints("a", [0, 1])])
    for i in range(cfg["text_layers"]):
        x = g.pre_norm_block(x, w, f"t.blk{i}", cfg["text_heads"], width, mask)
    x = g.layer_norm(x, w, "t.ln_final")
    if hidden_output:
        finish(g, x, hidden_output, variant)
    # ArgMax over int32: ONNX Runtime has no int64 ArgMax kernel; the first maximum is taken, so
    # padding with the end-of-text id (49407, as Hugging Face's CLIP tokenizer does) also works.
    ids32 = input_name if id_type == TensorProto.INT32 else g.op("Cast", [input_name],
                                                                    to=TensorProto.INT32)
    eot = g.op("ArgMax", [ids32], axis=1, keepdims=1)
    pooled = g.op("GatherND", [x, eot], batch_dims=1)
    emb = g.op("MatMul", [pooled, g.weight("t.proj", w["t.proj"])])
    if normalize:
        emb = g.l2_normalize(emb)
    finish(g, emb, output_name, variant)
    ftype = float_type(variant)
    outputs = [helper.make_tensor_value_info(output_name, ftype, [batch, cfg["embed_dim"]])]
    if hidden_output:
        outputs.append(helper.make_tensor_value_info(hidden_output, ftype, [batch, seq, width]))
    inputs = [helper.make_tensor_value_info(input_name, id_type, [batch, seq])]
    return g.model(inputs, outputs, "clip_text", "CLIP text tower, random weights")


def bert_model(cfg, w):
    """A small BERT-like encoder (post-norm, GELU), sentence-transformers export style:
    input_ids, attention_mask, token_type_ids (int64, dynamic) -> last_hidden_state."""
    g = Graph()
    width = cfg["bert_width"]
    seq_len = g.dim("input_ids", 1)
    x = g.op("Gather", [g.weight("b.word", w["b.word"]), "input_ids"], axis=0)
    x = g.op("Add", [x, g.op("Slice", [g.weight("b.pos", w["b.pos"]), g.ints("s", [0]), seq_len,
                                       g.ints("a", [0])])])
    x = g.op("Add", [x, g.op("Gather", [g.weight("b.type", w["b.type"]), "token_type_ids"],
                             axis=0)])
    x = g.layer_norm(x, w, "b.ln_emb", BERT_LN_EPS)
    keep = g.op("Cast", [g.op("Unsqueeze", ["attention_mask", g.ints("ax", [1, 2])])],
                to=TensorProto.FLOAT)
    mask = g.op("Mul", [g.op("Sub", [g.const("one", np.float32(1.0)), keep]),
                        g.const("neg", np.float32(-10000.0))])
    for i in range(cfg["bert_layers"]):
        x = g.post_norm_block(x, w, f"b.blk{i}", cfg["bert_heads"], width, mask)
    g.op("Identity", [x], outputs=["last_hidden_state"])
    inputs = [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch_size", "sequence_length"])
              for n in ("input_ids", "attention_mask", "token_type_ids")]
    outputs = [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT,
                                             ["batch_size", "sequence_length", width])]
    return g.model(inputs, outputs, "bert_text", "BERT-like sentence encoder, random weights")


# ----------------------------------------------------------------------------------------------
# Reference forward pass (numpy, float64): what expected.json holds
# ----------------------------------------------------------------------------------------------


def np_layer_norm(x, w, name, eps=LN_EPS):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w[name + ".g"] + w[name + ".b"]


def np_linear(x, w, name):
    return x @ w[name + ".w"] + w[name + ".b"]


def np_attention(x, w, name, heads, mask=None):
    length, width = x.shape
    head = width // heads

    def split(t):
        return t.reshape(length, heads, head).transpose(1, 0, 2)

    q, k, v = (split(np_linear(x, w, f"{name}.{p}")) for p in ("q", "k", "v"))
    scores = q @ k.transpose(0, 2, 1) / np.sqrt(head)
    if mask is not None:
        scores = scores + mask
    scores = scores - scores.max(-1, keepdims=True)
    probs = np.exp(scores)
    probs /= probs.sum(-1, keepdims=True)
    return np_linear((probs @ v).transpose(1, 0, 2).reshape(length, width), w, name + ".o")


def np_pre_norm_block(x, w, name, heads, mask=None):
    x = x + np_attention(np_layer_norm(x, w, name + ".ln1"), w, name + ".attn", heads, mask)
    h = np_linear(np_layer_norm(x, w, name + ".ln2"), w, name + ".fc1")
    h = h * (1.0 / (1.0 + np.exp(-1.702 * h)))
    return x + np_linear(h, w, name + ".fc2")


def np_vision(cfg, w, pixels):
    """pixels: [3, H, W] -> unnormalized embedding."""
    p, width = cfg["patch"], cfg["vision_width"]
    grid = cfg["image_size"] // p
    cols = pixels.reshape(3, grid, p, grid, p).transpose(1, 3, 0, 2, 4).reshape(grid * grid, -1)
    tokens = cols @ w["v.patch"].reshape(width, -1).T
    x = np.concatenate([w["v.cls"][None, :], tokens], axis=0) + w["v.pos"]
    x = np_layer_norm(x, w, "v.ln_pre")
    for i in range(cfg["vision_layers"]):
        x = np_pre_norm_block(x, w, f"v.blk{i}", cfg["vision_heads"])
    return np_layer_norm(x[0], w, "v.ln_post") @ w["v.proj"]


def np_text(cfg, w, ids):
    """ids: unpadded CLIP token ids (start and end included) -> unnormalized embedding."""
    ids = np.asarray(ids)
    n = len(ids)
    x = w["t.tok"][ids] + w["t.pos"][:n]
    mask = np.triu(np.full((n, n), -1e9), k=1)
    for i in range(cfg["text_layers"]):
        x = np_pre_norm_block(x, w, f"t.blk{i}", cfg["text_heads"], mask)
    x = np_layer_norm(x, w, "t.ln_final")
    return x[int(np.argmax(ids))] @ w["t.proj"]


def np_bert_hidden(cfg, w, ids):
    ids = np.asarray(ids)
    x = w["b.word"][ids] + w["b.pos"][:len(ids)] + w["b.type"][0]
    x = np_layer_norm(x, w, "b.ln_emb", BERT_LN_EPS)
    for i in range(cfg["bert_layers"]):
        name = f"b.blk{i}"
        x = np_layer_norm(x + np_attention(x, w, name + ".attn", cfg["bert_heads"]), w,
                          name + ".ln1", BERT_LN_EPS)
        h = np_linear(x, w, name + ".fc1")
        h = 0.5 * h * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (h + 0.044715 * h ** 3)))
        x = np_layer_norm(x + np_linear(h, w, name + ".fc2"), w, name + ".ln2", BERT_LN_EPS)
    return x


def np_bert_text(cfg, w, ids):
    """Mean pooling over last_hidden_state (no padding here), then the projection."""
    return np_bert_hidden(cfg, w, ids).mean(0) @ w["b.proj"]


def unit(v):
    return v / np.linalg.norm(v)


# ----------------------------------------------------------------------------------------------
# Tokenizers used for the expected values (ASCII texts only)
# ----------------------------------------------------------------------------------------------


def bytes_to_unicode():
    """GPT-2 / CLIP byte-level alphabet, in vocabulary order: the printable bytes map to
    themselves and come first, then the other bytes, mapped to 256 and up."""
    printable = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
                 + list(range(ord("®"), ord("ÿ") + 1)))
    chars = {b: chr(b) for b in printable}
    for extra, b in enumerate(b for b in range(256) if b not in chars):
        chars[b] = chr(256 + extra)
    return chars


class ClipBpe:
    """Just enough of CLIP's BPE for the ASCII texts in EXPECTED_TEXTS."""

    def __init__(self, vocab_gz):
        with gzip.open(vocab_gz, "rt", encoding="utf-8") as f:
            # header line, then the merges; the vocabulary is 2 x 256 byte tokens, merges, 2 specials
            merges = f.read().split("\n")[1:1 + CLIP_VOCAB_SIZE - 2 * 256 - 2]
        merges = [tuple(m.split()) for m in merges]
        alphabet = list(bytes_to_unicode().values())
        vocab = alphabet + [c + "</w>" for c in alphabet] + ["".join(m) for m in merges]
        vocab += ["<|startoftext|>", "<|endoftext|>"]
        if len(vocab) != CLIP_VOCAB_SIZE:
            raise SystemExit(f"{vocab_gz}: expected {CLIP_VOCAB_SIZE} tokens, built {len(vocab)}")
        self.ids = {t: i for i, t in enumerate(vocab)}
        self.ranks = {m: i for i, m in enumerate(merges)}
        self.byte_chars = bytes_to_unicode()

    def _bpe(self, word):
        parts = list(word[:-1]) + [word[-1] + "</w>"]
        while len(parts) > 1:
            ranked = [p for p in zip(parts, parts[1:]) if p in self.ranks]
            if not ranked:
                break
            first, second = min(ranked, key=self.ranks.get)
            merged, i = [], 0
            while i < len(parts):
                if i < len(parts) - 1 and parts[i] == first and parts[i + 1] == second:
                    merged.append(first + second)
                    i += 2
                else:
                    merged.append(parts[i])
                    i += 1
            parts = merged
        return parts

    def encode(self, text, max_length):
        if not text.isascii():
            raise ValueError("the reference BPE here handles ASCII texts only")
        text = re.sub(r"\s+", " ", html.unescape(html.unescape(text))).strip().lower()
        ids = [SOT]
        for token in re.findall(r"'s|'t|'re|'ve|'m|'ll|'d|[a-z]+|[0-9]|[^\sa-z0-9]+", text):
            word = "".join(self.byte_chars[b] for b in token.encode("utf-8"))
            ids += [self.ids[p] for p in self._bpe(word)]
        ids.append(EOT)
        if len(ids) > max_length:
            ids = ids[:max_length - 1] + [EOT]
        return ids


WORDPIECE_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
WORDPIECE_WORDS = (
    "a an the of and in on with for to is are there this that photo picture image cat cats dog "
    "red blue green black white running shoe shoes leather boot boots dress shirt two one"
).split()
WORDPIECE_SUFFIXES = ["s", "es", "ing", "ed", "er", "ly"]


def wordpiece_vocab():
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    digits = [str(d) for d in range(10)]
    punct = list(".,!?'-:;\"()")
    vocab = (WORDPIECE_SPECIALS + punct + digits + letters + ["##" + c for c in letters + digits]
             + WORDPIECE_WORDS + ["##" + s for s in WORDPIECE_SUFFIXES])
    seen, out = set(), []
    for t in vocab:
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out


def wordpiece_encode(vocab, text, max_length):
    """BERT basic tokenization (lowercase, split on whitespace and punctuation) and greedy
    longest-match WordPiece, for ASCII texts; [CLS] ... [SEP], truncated keeping [SEP]."""
    ids = {t: i for i, t in enumerate(vocab)}
    words = re.findall(r"[a-z0-9]+|[^\sa-z0-9]", text.lower())
    out = [ids["[CLS]"]]
    for word in words:
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = ("##" if start > 0 else "") + word[start:end]
                if piece in ids:
                    break
                end -= 1
            if end == start:
                pieces = [ids["[UNK]"]]
                break
            pieces.append(ids[piece])
            start = end
        out += pieces
    out.append(ids["[SEP]"])
    if len(out) > max_length:
        out = out[:max_length - 1] + [ids["[SEP]"]]
    return out


def wordpiece_tokenizer_json(vocab, max_length):
    """A Hugging Face tokenizers file in the shape BERT / MiniLM exports have."""
    ids = {t: i for i, t in enumerate(vocab)}
    special = [{"id": ids[t], "content": t, "single_word": False, "lstrip": False,
                "rstrip": False, "normalized": False, "special": True} for t in WORDPIECE_SPECIALS]

    def tok(t, type_id=0):
        return {"SpecialToken": {"id": t, "type_id": type_id}}

    return {
        "version": "1.0",
        "truncation": {"direction": "Right", "max_length": max_length, "strategy": "LongestFirst",
                       "stride": 0},
        "padding": None,
        "added_tokens": special,
        "normalizer": {"type": "BertNormalizer", "clean_text": True,
                       "handle_chinese_chars": True, "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [tok("[CLS]"), {"Sequence": {"id": "A", "type_id": 0}}, tok("[SEP]")],
            "pair": [tok("[CLS]"), {"Sequence": {"id": "A", "type_id": 0}}, tok("[SEP]"),
                     {"Sequence": {"id": "B", "type_id": 1}}, tok("[SEP]", 1)],
            "special_tokens": {t: {"id": t, "ids": [ids[t]], "tokens": [t]}
                               for t in ("[CLS]", "[SEP]")},
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": ids},
    }


def load_clip_tokenizer_json_writer():
    """The text module's writer of a Hugging Face CLIP tokenizer.json from the original vocab."""
    reference = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference")
    sys.path.insert(0, os.path.normpath(reference))
    try:
        from clip_tokenizer_json import write_clip_tokenizer_json
    finally:
        sys.path.pop(0)
    return write_clip_tokenizer_json


# ----------------------------------------------------------------------------------------------
# Layouts
# ----------------------------------------------------------------------------------------------


def write_json(path, value):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


def save(model, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    onnx.save(model, path)


def image_tensors(cfg, seed):
    """Inputs for expected.json: normalized-range noise and a smooth pattern, [3, H, W]."""
    rng = np.random.default_rng(seed + 1000)
    size = cfg["image_size"]
    out = [rng.standard_normal((3, size, size)).astype(np.float32) for _ in range(
        EXPECTED_IMAGES - 1)]
    yy, xx = np.meshgrid(np.linspace(-1, 1, size), np.linspace(-1, 1, size), indexing="ij")
    out.append(np.stack([np.sin(3 * xx), np.cos(2 * yy), xx * yy]).astype(np.float32) * 1.5)
    return out


def write_expected(out_dir, cfg, vision_w, images, text_entries, extra=None):
    rel = "expected"
    os.makedirs(os.path.join(out_dir, rel), exist_ok=True)
    image_entries = []
    for i, tensor in enumerate(images):
        name = f"{rel}/image-{i}.f32"
        tensor.astype("<f4").tofile(os.path.join(out_dir, name))
        emb = unit(np_vision(cfg, vision_w, tensor.astype(np.float64)))
        image_entries.append({"tensor": name, "shape": list(tensor.shape),
                              "embedding": [round(float(v), 7) for v in emb]})
    doc = {"note": "float64 numpy forward pass of the same weights; embeddings L2-normalized",
           "images": image_entries, "texts": text_entries}
    doc.update(extra or {})
    write_json(os.path.join(out_dir, "expected.json"), doc)


def clip_text_entries(cfg, text_w, bpe):
    entries = []
    for text in EXPECTED_TEXTS:
        ids = bpe.encode(text, cfg["context_length"])
        emb = unit(np_text(cfg, text_w, ids))
        entries.append({"text": text, "ids": ids,
                        "embedding": [round(float(v), 7) for v in emb]})
    return entries


def hf_preprocessor_config(size):
    """CLIPImageProcessor's settings as transformers.js exports write them."""
    return {
        "crop_size": {"height": size, "width": size},
        "do_center_crop": True, "do_convert_rgb": True, "do_normalize": True,
        "do_rescale": True, "do_resize": True,
        "feature_extractor_type": "CLIPFeatureExtractor", "image_processor_type": "CLIPImageProcessor",
        "image_mean": CLIP_MEAN, "image_std": CLIP_STD, "resample": 3,
        "rescale_factor": 1 / 255, "size": {"shortest_edge": size},
    }


def write_hf(out, cfg, args, vw, tw, images, texts, variants):
    d = cfg["embed_dim"]
    for variant in variants:
        suffix = "" if variant == "fp32" else "_" + variant
        save(vision_model(cfg, vw, "pixel_values", "image_embeds", "batch_size", variant,
                          hidden_output="last_hidden_state"),
             os.path.join(out, "onnx", f"vision_model{suffix}.onnx"))
        save(text_model(cfg, tw, "input_ids", "text_embeds", "batch_size", "sequence_length",
                        TensorProto.INT64, variant, hidden_output="last_hidden_state"),
             os.path.join(out, "onnx", f"text_model{suffix}.onnx"))
    load_clip_tokenizer_json_writer()(args.vocab, os.path.join(out, "tokenizer.json"))
    size = cfg["image_size"]
    write_json(os.path.join(out, "preprocessor_config.json"), hf_preprocessor_config(size))
    write_json(os.path.join(out, "config.json"), {
        "_name_or_path": f"clipsearch/random-clip-{args.size}",
        "architectures": ["CLIPModel"], "model_type": "clip",
        "projection_dim": d, "logit_scale_init_value": 2.6592,
        "text_config": {
            "model_type": "clip_text_model", "hidden_size": cfg["text_width"],
            "intermediate_size": 4 * cfg["text_width"], "num_attention_heads": cfg["text_heads"],
            "num_hidden_layers": cfg["text_layers"],
            "max_position_embeddings": cfg["context_length"], "vocab_size": CLIP_VOCAB_SIZE,
            "hidden_act": "quick_gelu", "bos_token_id": SOT, "eos_token_id": EOT,
            "pad_token_id": 1, "projection_dim": d,
        },
        "vision_config": {
            "model_type": "clip_vision_model", "hidden_size": cfg["vision_width"],
            "intermediate_size": 4 * cfg["vision_width"], "num_attention_heads":
                cfg["vision_heads"], "num_hidden_layers": cfg["vision_layers"],
            "image_size": size, "patch_size": cfg["patch"], "hidden_act": "quick_gelu",
            "projection_dim": d,
        },
        "clipsearch_generator": {"seed": args.seed, "size": args.size},
    })
    write_expected(out, cfg, vw, images, texts, {"layout": "hf"})


def write_open_clip(out, cfg, args, vw, tw, images, texts):
    size = cfg["image_size"]
    save(vision_model(cfg, vw, "image", "embedding", 1, normalize=True),
         os.path.join(out, "visual", "model.onnx"))
    save(text_model(cfg, tw, "text", "embedding", 1, cfg["context_length"], TensorProto.INT32,
                    normalize=True),
         os.path.join(out, "textual", "model.onnx"))
    shutil.copyfile(args.vocab, os.path.join(out, "textual", "bpe_simple_vocab_16e6.txt.gz"))
    write_json(os.path.join(out, "visual", "preprocess_cfg.json"), {
        "size": [size, size], "mode": "RGB", "mean": CLIP_MEAN, "std": CLIP_STD,
        "interpolation": "bicubic", "resize_mode": "shortest", "fill_color": 0,
    })
    write_json(os.path.join(out, "config.json"), {
        "embed_dim": cfg["embed_dim"],
        "vision_cfg": {"image_size": size, "layers": cfg["vision_layers"],
                       "width": cfg["vision_width"], "patch_size": cfg["patch"]},
        "text_cfg": {"context_length": cfg["context_length"], "vocab_size": CLIP_VOCAB_SIZE,
                     "width": cfg["text_width"], "heads": cfg["text_heads"],
                     "layers": cfg["text_layers"]},
    })
    write_expected(out, cfg, vw, images, texts, {"layout": "open_clip"})


def write_manifest(out, cfg, args, vw, bert_w, vocab, images):
    size = cfg["image_size"]
    save(vision_model(cfg, vw, "pixel_values", "image_embeds", "batch_size"),
         os.path.join(out, "image", "model.onnx"))
    save(bert_model(cfg, bert_w), os.path.join(out, "text", "model.onnx"))
    write_json(os.path.join(out, "text", "tokenizer.json"),
               wordpiece_tokenizer_json(vocab, cfg["bert_context"]))
    proj = bert_w["b.proj"]
    proj.astype("<f4").tofile(os.path.join(out, "text", "projection.f32"))
    write_json(os.path.join(out, "clipsearch-model.json"), {
        "format": "clipsearch-model/1",
        "id": f"random-clip-minilm-{args.size}",
        "dimension": cfg["embed_dim"],
        "logitScale": 100.0,
        "image": {
            "onnx": "image/model.onnx",
            "preprocess": {"size": size, "mean": CLIP_MEAN, "std": CLIP_STD},
        },
        "text": {
            "onnx": "text/model.onnx",
            "tokenizer": "text/tokenizer.json",
            "contextLength": cfg["bert_context"],
            "output": "last_hidden_state",
            "pooling": "mean",
            "projection": {"file": "text/projection.f32", "shape": list(proj.shape)},
        },
    })
    texts = []
    for text in EXPECTED_TEXTS:
        ids = wordpiece_encode(vocab, text, cfg["bert_context"])
        emb = unit(np_bert_text(cfg, bert_w, ids))
        texts.append({"text": text, "ids": ids, "embedding": [round(float(v), 7) for v in emb]})
    write_expected(out, cfg, vw, images, texts, {"layout": "manifest"})


# ----------------------------------------------------------------------------------------------
# The ``st`` layout: a sentence-transformers text tower (clip-ViT-B-32-multilingual-v1's shape)
# beside a CLIP image tower in image/
# ----------------------------------------------------------------------------------------------

# Texts for the st layout's expected.json: the ASCII ones, then German, Japanese and accents
# (the real tokenizer is cased and keeps accents; CJK ideographs become words of their own).
ST_EXTRA_TEXTS = ["rote Laufschuhe für Damen", "Straße", "赤い靴", "ワイヤレスイヤホン",
                  "Crème brûlée"]
ST_WORDS = (
    "a an the of and in on with for to is are There this that photo picture image cat cats dog "
    "red blue green black white running shoe shoes leather boot boots dress shirt two one "
    "rote Lauf schuhe Schuhe für Damen Straße Crème brûlée 赤 い 靴 ワイヤレス イヤホン 東 京 買"
).split()


def st_vocab():
    """A cased WordPiece vocabulary: specials, punctuation, digits, both letter cases, the
    accented and kana characters of ST_EXTRA_TEXTS alone and as continuations, whole words."""
    letters = ([chr(c) for c in range(ord("a"), ord("z") + 1)]
               + [chr(c) for c in range(ord("A"), ord("Z") + 1)] + list("äöüßéèêûçñ"))
    kana = list("ワイヤレスホンいとでう")
    digits = [str(d) for d in range(10)]
    punct = list(".,!?'-:;\"()")
    vocab = (WORDPIECE_SPECIALS + punct + digits + letters + kana
             + ["##" + c for c in letters + digits + kana] + ST_WORDS
             + ["##" + s for s in WORDPIECE_SUFFIXES + ["schuhe", "ße"]])
    seen, out = set(), []
    for t in vocab:
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out


def _is_cjk(c):
    cp = ord(c)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def _is_punct(c):
    import unicodedata
    cp = ord(c)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(c).startswith("P")


def st_encode(vocab, text, max_length):
    """BERT basic tokenization as the real tokenizer.json configures it (clean text, spaces
    around CJK ideographs, no lower-casing, accents kept; split on whitespace and punctuation),
    then greedy longest-match WordPiece; [CLS] ... [SEP], truncated keeping [SEP]."""
    ids = {t: i for i, t in enumerate(vocab)}
    spaced = "".join(f" {c} " if _is_cjk(c) else c for c in text)
    words = []
    for chunk in spaced.split():
        current = ""
        for c in chunk:
            if _is_punct(c):
                if current:
                    words.append(current)
                words.append(c)
                current = ""
            else:
                current += c
        if current:
            words.append(current)
    out = [ids["[CLS]"]]
    for word in words:
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = ("##" if start > 0 else "") + word[start:end]
                if piece in ids:
                    break
                end -= 1
            if end == start:
                pieces = [ids["[UNK]"]]
                break
            pieces.append(ids[piece])
            start = end
        out += pieces
    out.append(ids["[SEP]"])
    if len(out) > max_length:
        out = out[:max_length - 1] + [ids["[SEP]"]]
    return out


def distilbert_weights(dcfg, vocab_size, embed_dim, seed):
    w = Weights(seed)
    width = dcfg["dim"]
    w.normal("d.word", (vocab_size, width), 1.0)
    w.normal("d.pos", (dcfg["positions"], width), 0.3)
    w.layer_norm("d.ln_emb", width)
    for i in range(dcfg["layers"]):
        w.block(f"d.blk{i}", width)
    # sentence-transformers' Dense keeps torch's Linear layout: weight [out_features, in_features]
    w.normal("d.dense", (embed_dim, width), 1.0 / np.sqrt(width))
    return w


def distilbert_model(dcfg, w):
    """DistilBERT as optimum / sentence-transformers' ONNX backend export it: input_ids and
    attention_mask (int64, dynamic; no token_type_ids) -> last_hidden_state. Word and position
    embeddings, LayerNorm, post-norm blocks with the exact (erf) GELU."""
    g = Graph()
    width = dcfg["dim"]
    seq_len = g.dim("input_ids", 1)
    x = g.op("Gather", [g.weight("d.word", w["d.word"]), "input_ids"], axis=0)
    x = g.op("Add", [x, g.op("Slice", [g.weight("d.pos", w["d.pos"]), g.ints("s", [0]), seq_len,
                                       g.ints("a", [0])])])
    x = g.layer_norm(x, w, "d.ln_emb", BERT_LN_EPS)
    keep = g.op("Cast", [g.op("Unsqueeze", ["attention_mask", g.ints("ax", [1, 2])])],
                to=TensorProto.FLOAT)
    mask = g.op("Mul", [g.op("Sub", [g.const("one", np.float32(1.0)), keep]),
                        g.const("neg", np.float32(-1e9))])
    for i in range(dcfg["layers"]):
        x = g.post_norm_block(x, w, f"d.blk{i}", dcfg["heads"], width, mask, act=g.gelu_erf)
    g.op("Identity", [x], outputs=["last_hidden_state"])
    inputs = [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch_size", "sequence_length"])
              for n in ("input_ids", "attention_mask")]
    outputs = [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT,
                                             ["batch_size", "sequence_length", width])]
    return g.model(inputs, outputs, "distilbert_text", "DistilBERT-shaped encoder, random weights")


def np_distilbert_text(dcfg, w, ids):
    """Hidden states, mean pooling (no padding here), then the Dense (no bias, identity)."""
    import math
    erf = np.vectorize(math.erf)
    ids = np.asarray(ids)
    x = w["d.word"][ids] + w["d.pos"][:len(ids)]
    x = np_layer_norm(x, w, "d.ln_emb", BERT_LN_EPS)
    for i in range(dcfg["layers"]):
        name = f"d.blk{i}"
        x = np_layer_norm(x + np_attention(x, w, name + ".attn", dcfg["heads"]), w,
                          name + ".ln1", BERT_LN_EPS)
        h = np_linear(x, w, name + ".fc1")
        h = 0.5 * h * (1.0 + erf(h / np.sqrt(2.0)))
        x = np_layer_norm(x + np_linear(h, w, name + ".fc2"), w, name + ".ln2", BERT_LN_EPS)
    return x.mean(0) @ w["d.dense"].T


def write_safetensors(path, tensors):
    """The safetensors format: 8-byte little-endian header length, a JSON header (padded with
    spaces to 8 bytes), then the raw little-endian tensors."""
    header, blobs, offset = {}, [], 0
    for name, array in tensors.items():
        data = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(len(raw).to_bytes(8, "little"))
        f.write(raw)
        for blob in blobs:
            f.write(blob)


def st_tokenizer_json(vocab, max_length):
    """The tokenizer.json of a cased multilingual BERT: as the BERT-style file, but the
    BertNormalizer neither lower-cases nor strips accents (lowercase false, strip_accents null),
    as bert-base-multilingual-cased and clip-ViT-B-32-multilingual-v1 configure it."""
    doc = wordpiece_tokenizer_json(vocab, max_length)
    doc["normalizer"] = {"type": "BertNormalizer", "clean_text": True,
                         "handle_chinese_chars": True, "strip_accents": None, "lowercase": False}
    return doc


def write_st(out, cfg, args, vw, images):
    """sentence-transformers/clip-ViT-B-32-multilingual-v1's files (the text tower) at the top,
    and a Hugging Face CLIP export's image half in image/."""
    dcfg = DISTILBERT[args.size]
    vocab = st_vocab()
    vocab_size = dcfg["vocab_size"] or len(vocab)
    d = cfg["embed_dim"]
    dw = distilbert_weights(dcfg, vocab_size, d, args.seed + 3)
    save(distilbert_model(dcfg, dw), os.path.join(out, "onnx", "model.onnx"))
    write_json(os.path.join(out, "tokenizer.json"), st_tokenizer_json(vocab, dcfg["positions"]))
    write_json(os.path.join(out, "config.json"), {
        "_name_or_path": f"clipsearch/random-clip-multilingual-{args.size}",
        "activation": "gelu", "architectures": ["DistilBertModel"], "model_type": "distilbert",
        "dim": dcfg["dim"], "hidden_dim": dcfg["hidden"], "n_heads": dcfg["heads"],
        "n_layers": dcfg["layers"], "max_position_embeddings": dcfg["positions"],
        "vocab_size": vocab_size, "pad_token_id": 0, "sinusoidal_pos_embds": False,
        "clipsearch_generator": {"seed": args.seed, "size": args.size},
    })
    write_json(os.path.join(out, "sentence_bert_config.json"),
               {"max_seq_length": dcfg["max_seq"], "do_lower_case": False})
    write_json(os.path.join(out, "modules.json"), [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"},
    ])
    write_json(os.path.join(out, "1_Pooling", "config.json"), {
        "word_embedding_dimension": dcfg["dim"], "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
    })
    write_json(os.path.join(out, "2_Dense", "config.json"), {
        "in_features": dcfg["dim"], "out_features": d, "bias": False,
        "activation_function": "torch.nn.modules.linear.Identity",
    })
    write_safetensors(os.path.join(out, "2_Dense", "model.safetensors"),
                      {"linear.weight": dw["d.dense"]})
    image = os.path.join(out, "image")
    save(vision_model(cfg, vw, "pixel_values", "image_embeds", "batch_size",
                      hidden_output="last_hidden_state"),
         os.path.join(image, "onnx", "vision_model.onnx"))
    write_json(os.path.join(image, "preprocessor_config.json"),
               hf_preprocessor_config(cfg["image_size"]))
    write_json(os.path.join(image, "config.json"), {
        "_name_or_path": f"clipsearch/random-clip-{args.size}", "model_type": "clip",
        "projection_dim": d,
        "vision_config": {"image_size": cfg["image_size"], "patch_size": cfg["patch"],
                          "hidden_size": cfg["vision_width"], "projection_dim": d},
    })
    texts = []
    for text in EXPECTED_TEXTS + ST_EXTRA_TEXTS:
        ids = st_encode(vocab, text, dcfg["max_seq"])
        emb = unit(np_distilbert_text(dcfg, dw, ids))
        texts.append({"text": text, "ids": ids, "embedding": [round(float(v), 7) for v in emb]})
    write_expected(out, cfg, vw, images, texts, {"layout": "st"})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="directory to create (must not exist)")
    parser.add_argument("--size", choices=sorted(SIZES), default="tiny")
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--layouts", default="hf,open_clip,manifest,st",
                        help="comma-separated subset of hf,open_clip,manifest,st")
    parser.add_argument("--arch", choices=sorted(ARCHS), default="b32",
                        help="with --size full: the OpenAI CLIP whose geometry to take (b32, b16,"
                             " l14)")
    parser.add_argument("--vocab", required=True,
                        help="CLIP's bpe_simple_vocab_16e6.txt.gz (for the tokenizer files)")
    parser.add_argument("--variants", default=None,
                        help="hf variants to write: comma-separated subset of fp32,fp16,quantized"
                             " (default: all three for tiny, fp32 for full)")
    parser.add_argument("--fp16-compute", action="store_true",
                        help="the fp16 variant computes in float16 (GPU speed) rather than"
                             " storing float16 weights and computing in float32")
    args = parser.parse_args(argv)
    global FP16_COMPUTE
    FP16_COMPUTE = args.fp16_compute

    layouts = [l for l in args.layouts.split(",") if l]
    unknown = set(layouts) - {"hf", "open_clip", "manifest", "st"}
    if unknown:
        parser.error(f"unknown layouts: {sorted(unknown)}")
    variants = (args.variants or ("fp32,fp16,quantized" if args.size == "tiny" else "fp32"))
    variants = [v for v in variants.split(",") if v]
    if "fp32" not in variants or set(variants) - {"fp32", "fp16", "quantized"}:
        parser.error("--variants must include fp32 and only name fp32, fp16, quantized")
    if os.path.exists(args.out):
        parser.error(f"{args.out} already exists")
    if not os.path.isfile(args.vocab):
        parser.error(f"vocabulary file not found: {args.vocab}")

    if args.arch != "b32" and args.size != "full":
        parser.error("--arch applies to --size full only")
    cfg = dict(SIZES[args.size], **ARCHS[args.arch])
    vw = vision_weights(cfg, args.seed)
    images = image_tensors(cfg, args.seed)
    clip_texts = None
    if "hf" in layouts or "open_clip" in layouts:
        tw = text_weights(cfg, args.seed + 1)
        clip_texts = clip_text_entries(cfg, tw, ClipBpe(args.vocab))
    for layout in layouts:
        out = os.path.join(args.out, layout)
        if layout == "hf":
            write_hf(out, cfg, args, vw, tw, images, clip_texts, variants)
        elif layout == "open_clip":
            write_open_clip(out, cfg, args, vw, tw, images, clip_texts)
        elif layout == "st":
            write_st(out, cfg, args, vw, images)
        else:
            vocab = wordpiece_vocab()
            write_manifest(out, cfg, args, vw, bert_weights(cfg, len(vocab), args.seed + 2),
                           vocab, images)
        print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
