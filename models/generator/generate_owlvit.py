#!/usr/bin/python3
"""Writes OWL-ViT-shaped ONNX models with seeded random weights, for tests and timing.

No pretrained weights: every weight is drawn from a seeded generator (the Weights and Graph helpers
of generate_clip.py). The output of such a model is noise; it only proves that the runtime feeds
the documented inputs, reads the documented outputs and costs what the real architecture costs.

The graph follows transformers' OwlViTForObjectDetection (google/owlvit-base-patch32):

  text   CLIP text transformer over input_ids [queries, 16] (causal mask plus the attention_mask),
         final LayerNorm, the features at the end token (argmax of the ids), projection
         -> text_embeds [queries, embed_dim]
  vision CLIP ViT over pixel_values [images, 3, S, S]; post-LayerNorm over every token; the patch
         tokens multiplied by the class token and LayerNormed -> image_embeds [images, g, g, width]
  class  per patch: a dense layer to embed_dim, L2-normalized, dot the L2-normalized queries, plus
         a learned shift, times a learned ELU+1 scale; queries whose first id is 0 (padding, "!")
         get float32's lowest value -> logits [images, patches, queries]
  box    a 3-layer MLP per patch plus the patch-grid box bias (inverse sigmoid of the patch
         position and of 1/g), sigmoid -> pred_boxes [images, patches, 4] (cx, cy, w, h)

Layouts written under --out, both with the same weights:

  transformersjs  onnx/model.onnx, as Xenova's transformers.js exports are laid out
  optimum         model.onnx at the root, as optimum-cli exports it

Each gets config.json (vision_config.image_size / patch_size, text_config.max_position_embeddings,
"clipsearch_random_weights": true), preprocessor_config.json (size, CLIP mean/std, no center
crop), tokenizer.json (CLIP BPE), tokenizer_config.json and special_tokens_map.json (pad token "!",
id 0) and random-weights.txt saying what this is.

Sizes: tiny (128 px input, 16 patches, narrow towers: unit tests) and full (768 px, 576 patches,
ViT-B/32 towers: owlvit-base-patch32's shapes and FLOPs, for timing).

Needs only Debian's python3-onnx and python3-numpy. Usage:
    /usr/bin/python3 models/generator/generate_owlvit.py --size tiny --out DIR \\
        --vocab ../shared/models/clip-vocab/bpe_simple_vocab_16e6.txt.gz
"""

import argparse
import os
import sys

import numpy as np
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate_clip import (  # noqa: E402
    CLIP_MEAN, CLIP_STD, Graph, load_clip_tokenizer_json_writer, save, text_weights,
    vision_weights, write_json,
)

QUERY_LENGTH = 16
PAD_TOKEN = "!"  # id 0 in CLIP's vocabulary, OWL-ViT's pad token

SIZES = {
    "tiny": dict(image_size=128, patch=32, vision_width=64, vision_layers=2, vision_heads=4,
                 text_width=48, text_layers=2, text_heads=4, context_length=QUERY_LENGTH,
                 embed_dim=32),
    "full": dict(image_size=768, patch=32, vision_width=768, vision_layers=12, vision_heads=12,
                 text_width=512, text_layers=12, text_heads=8, context_length=QUERY_LENGTH,
                 embed_dim=512),
}


def head_weights(cfg, w):
    """The detection heads, drawn after the towers' weights from the vision generator."""
    width, d = cfg["vision_width"], cfg["embed_dim"]
    w.layer_norm("v.ln_merge", width)
    w.linear("c.dense", width, d)
    w.linear("c.shift", width, 1)
    w.linear("c.scale", width, 1)
    for name, out in (("b.fc1", width), ("b.fc2", width), ("b.fc3", 4)):
        w.linear(name, width, out)
    w.arrays["b.fc3.w"] *= 0.1  # boxes near the patch-grid bias, as a trained head's are


def box_bias(grid):
    """transformers' OwlViTForObjectDetection.compute_box_bias, [grid * grid, 4]."""
    xs, ys = np.meshgrid(np.arange(1, grid + 1), np.arange(1, grid + 1))
    coords = np.clip(np.stack([xs, ys], axis=-1).reshape(-1, 2) / grid, 1e-4, 1 - 1e-4)
    coord_bias = np.log(coords) - np.log1p(-coords)
    size = np.full_like(coord_bias, 1.0 / grid)
    size_bias = np.log(size) - np.log1p(-size)
    return np.concatenate([coord_bias, size_bias], axis=-1)


def owlvit_model(cfg, vw, tw):
    g = Graph()
    width, size, patch = cfg["vision_width"], cfg["image_size"], cfg["patch"]
    grid = size // patch
    patches = grid * grid
    d = cfg["embed_dim"]

    # -- text tower ------------------------------------------------------------------------------
    tx = g.op("Add", [g.op("Gather", [g.weight("t.tok", tw["t.tok"]), "input_ids"], axis=0),
                      g.weight("t.pos", tw["t.pos"])])
    causal = np.triu(np.full((QUERY_LENGTH, QUERY_LENGTH), -1e9, dtype=np.float32), k=1)
    keep = g.op("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    padding = g.op("Mul", [g.op("Sub", [g.const("one", np.float32(1)), keep]),
                           g.const("neg", np.float32(-1e9))])
    mask = g.op("Add", [g.const("causal", causal),
                        g.op("Reshape", [padding, g.ints("mask_shape", [-1, 1, 1,
                                                                        QUERY_LENGTH])])])
    for i in range(cfg["text_layers"]):
        tx = g.pre_norm_block(tx, tw, f"t.blk{i}", cfg["text_heads"], cfg["text_width"], mask)
    tx = g.layer_norm(tx, tw, "t.ln_final")
    ids32 = g.op("Cast", ["input_ids"], to=TensorProto.INT32)
    pooled = g.op("GatherND", [tx, g.op("ArgMax", [ids32], axis=1, keepdims=1)], batch_dims=1)
    g.op("MatMul", [pooled, g.weight("t.proj", tw["t.proj"])], outputs=["text_embeds"])

    # -- vision tower ----------------------------------------------------------------------------
    conv = g.op("Conv", ["pixel_values", g.weight("v.patch", vw["v.patch"])],
                kernel_shape=[patch, patch], strides=[patch, patch])
    tokens = g.op("Transpose", [g.op("Reshape", [conv, g.ints("flat", [0, width, -1])])],
                  perm=[0, 2, 1])
    cls_shape = g.op("Concat", [g.dim("pixel_values", 0), g.ints("one_w", [1, width])], axis=0)
    cls = g.op("Expand", [g.op("Reshape", [g.weight("v.cls", vw["v.cls"]),
                                            g.ints("cls_shape", [1, 1, width])]), cls_shape])
    x = g.op("Add", [g.op("Concat", [cls, tokens], axis=1), g.weight("v.pos", vw["v.pos"])])
    x = g.layer_norm(x, vw, "v.ln_pre")
    for i in range(cfg["vision_layers"]):
        x = g.pre_norm_block(x, vw, f"v.blk{i}", cfg["vision_heads"], width)
    x = g.layer_norm(x, vw, "v.ln_post")
    first = g.op("Slice", [x, g.ints("s", [0]), g.ints("e", [1]), g.ints("a", [1])])
    rest = g.op("Slice", [x, g.ints("s", [1]), g.ints("e", [patches + 1]), g.ints("a", [1])])
    img = g.layer_norm(g.op("Mul", [rest, first]), vw, "v.ln_merge")
    g.op("Reshape", [img, g.ints("grid", [0, grid, grid, width])], outputs=["image_embeds"])

    # -- class head ------------------------------------------------------------------------------
    eps = g.const("eps", np.float32(1e-6))
    ce = g.linear(img, vw, "c.dense")
    ce = g.op("Div", [ce, g.op("Add", [g.op("ReduceL2", [ce], axes=[-1], keepdims=1), eps])])
    q = g.op("Div", ["text_embeds", g.op("Add", [g.op("ReduceL2", ["text_embeds"], axes=[-1],
                                                      keepdims=1), eps])])
    logits = g.op("MatMul", [ce, g.op("Transpose", [q], perm=[1, 0])])
    shift = g.linear(img, vw, "c.shift")
    scale = g.op("Add", [g.op("Elu", [g.linear(img, vw, "c.scale")]), g.const("one",
                                                                               np.float32(1))])
    logits = g.op("Mul", [g.op("Add", [logits, shift]), scale])
    first_ids = g.op("Squeeze", [g.op("Slice", ["input_ids", g.ints("s", [0]), g.ints("e", [1]),
                                                g.ints("a", [1])]), g.ints("ax", [1])])
    real = g.op("Greater", [first_ids, g.const("zero", np.int64(0))])
    g.op("Where", [real, logits, g.const("lowest", np.finfo(np.float32).min)],
         outputs=["logits"])

    # -- box head --------------------------------------------------------------------------------
    h = g.quick_gelu(g.linear(img, vw, "b.fc1"))
    h = g.quick_gelu(g.linear(h, vw, "b.fc2"))
    boxes = g.op("Add", [g.linear(h, vw, "b.fc3"), g.const("box_bias",
                                                           box_bias(grid).astype(np.float32))])
    g.op("Sigmoid", [boxes], outputs=["pred_boxes"])

    f = TensorProto.FLOAT
    inputs = [
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["queries", QUERY_LENGTH]),
        helper.make_tensor_value_info("pixel_values", f, ["images", 3, size, size]),
        helper.make_tensor_value_info("attention_mask", TensorProto.INT64,
                                      ["queries", QUERY_LENGTH]),
    ]
    outputs = [
        helper.make_tensor_value_info("logits", f, ["images", patches, "queries"]),
        helper.make_tensor_value_info("pred_boxes", f, ["images", patches, 4]),
        helper.make_tensor_value_info("text_embeds", f, ["queries", d]),
        helper.make_tensor_value_info("image_embeds", f, ["images", grid, grid, width]),
    ]
    return g.model(inputs, outputs, "owlvit", "OWL-ViT-shaped detector, RANDOM weights")


def write_layout(out, cfg, model, args, size_name):
    size = cfg["image_size"]
    write_json(os.path.join(out, "config.json"), {
        "architectures": ["OwlViTForObjectDetection"], "model_type": "owlvit",
        "projection_dim": cfg["embed_dim"],
        "text_config": {"hidden_size": cfg["text_width"], "num_hidden_layers": cfg["text_layers"],
                        "num_attention_heads": cfg["text_heads"],
                        "max_position_embeddings": QUERY_LENGTH, "pad_token_id": 0,
                        "vocab_size": 49408},
        "vision_config": {"hidden_size": cfg["vision_width"], "image_size": size,
                          "patch_size": cfg["patch"],
                          "num_hidden_layers": cfg["vision_layers"],
                          "num_attention_heads": cfg["vision_heads"]},
        "clipsearch_random_weights": True, "clipsearch_generator_size": size_name,
        "clipsearch_seed": args.seed,
    })
    write_json(os.path.join(out, "preprocessor_config.json"), {
        "image_processor_type": "OwlViTImageProcessor", "do_resize": True, "size": size,
        "resample": 3, "do_center_crop": False, "crop_size": size, "do_rescale": True,
        "rescale_factor": 1 / 255, "do_normalize": True, "image_mean": CLIP_MEAN,
        "image_std": CLIP_STD,
    })
    load_clip_tokenizer_json_writer()(args.vocab, os.path.join(out, "tokenizer.json"))
    write_json(os.path.join(out, "tokenizer_config.json"), {
        "tokenizer_class": "CLIPTokenizer", "model_max_length": QUERY_LENGTH,
        "pad_token": PAD_TOKEN, "bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>",
    })
    write_json(os.path.join(out, "special_tokens_map.json"), {
        "pad_token": PAD_TOKEN, "bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>",
        "unk_token": "<|endoftext|>",
    })
    with open(os.path.join(out, "random-weights.txt"), "w", encoding="utf-8") as f:
        f.write("RANDOM WEIGHTS (seed %d), written by models/generator/generate_owlvit.py.\n"
                "OWL-ViT's shapes only: its detections mean nothing.\n" % args.seed)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="directory to create (must not exist)")
    parser.add_argument("--size", choices=sorted(SIZES), default="tiny")
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--layouts", default="transformersjs,optimum")
    parser.add_argument("--vocab", required=True, help="CLIP's bpe_simple_vocab_16e6.txt.gz")
    args = parser.parse_args(argv)
    layouts = [l for l in args.layouts.split(",") if l]
    if set(layouts) - {"transformersjs", "optimum"}:
        parser.error(f"unknown layouts: {layouts}")
    if os.path.exists(args.out):
        parser.error(f"{args.out} already exists")
    cfg = SIZES[args.size]
    vw = vision_weights(cfg, args.seed)
    head_weights(cfg, vw)
    tw = text_weights(cfg, args.seed + 1)
    model = owlvit_model(cfg, vw, tw)
    for layout in layouts:
        out = os.path.join(args.out, layout)
        path = "onnx/model.onnx" if layout == "transformersjs" else "model.onnx"
        save(model, os.path.join(out, path))
        write_layout(out, cfg, model, args, args.size)
        print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
