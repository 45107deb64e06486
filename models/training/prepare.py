#!/usr/bin/python3
"""Step 1 of the offline model's training: captions and a text-only model for the Java runtime.

Writes into WORK:
  captions.txt, captions.json   every training caption, one per line, and which rows are whose
  bootstrap/                    a model directory whose text tower is the bare all-MiniLM-L6-v2
                                (mean pooling, L2-normalized, no projection), so that
                                `clipsearch inspect embed-batch` computes the 384-d caption
                                embeddings with the project's own tokenizer and ONNX Runtime. Its
                                image tower is a stand-in (mean colour times zeros) that is never
                                called; the manifest format needs one.
Checks that no paraphrase query of paraphrases.tsv is a training caption.
"""

import argparse
import json
import os

import onnx
from onnx import TensorProto, helper

import common


def stand_in_image_tower(path):
    pixels = helper.make_tensor_value_info(
        "pixel_values", TensorProto.FLOAT, ["batch", 3, common.IMAGE_SIZE, common.IMAGE_SIZE])
    out = helper.make_tensor_value_info("image_embeds", TensorProto.FLOAT, ["batch", common.TEXT_WIDTH])
    zeros = helper.make_tensor("zeros", TensorProto.FLOAT, [3, common.TEXT_WIDTH],
                               [0.0] * (3 * common.TEXT_WIDTH))
    graph = helper.make_graph(
        [helper.make_node("ReduceMean", ["pixel_values"], ["mean"], axes=[2, 3], keepdims=0),
         helper.make_node("MatMul", ["mean", "zeros"], ["image_embeds"])],
        "stand_in_image_tower", [pixels], [out], initializer=[zeros])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="folder of `clipsearch sample-data training-set`")
    parser.add_argument("--work", required=True)
    args = parser.parse_args()

    concepts = common.read_concepts(args.data)
    lines, rows = [], {}
    for c in concepts:
        caps = common.captions(c)
        rows[c["id"]] = list(range(len(lines), len(lines) + len(caps)))
        lines.extend(caps)
    common.write_lines(os.path.join(args.work, "captions.txt"), lines)
    with open(os.path.join(args.work, "captions.json"), "w", encoding="utf-8") as f:
        json.dump(rows, f)

    here = os.path.dirname(os.path.abspath(__file__))
    caption_set = {line.lower() for line in lines}
    for query, _ in common.read_paraphrases(os.path.join(here, "paraphrases.tsv")):
        if query.lower() in caption_set:
            raise SystemExit(f"paraphrase query {query!r} is a training caption")

    boot = os.path.join(args.work, "bootstrap")
    os.makedirs(boot, exist_ok=True)
    stand_in_image_tower(os.path.join(boot, "stand-in-image.onnx"))
    manifest = {
        "format": "clipsearch-model/1",
        "id": "all-minilm-l6-v2-text-only",
        "dimension": common.TEXT_WIDTH,
        "image": {
            "onnx": "stand-in-image.onnx",
            "preprocess": {"size": common.IMAGE_SIZE, "mean": list(common.MEAN), "std": list(common.STD)},
        },
        "text": common.text_tower_manifest(),
    }
    with open(os.path.join(boot, "clipsearch-model.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
    held = sum(common.is_held_out_concept(c["id"]) for c in concepts)
    print(f"{len(concepts)} concepts ({held} held out), {len(lines)} captions")


if __name__ == "__main__":
    main()
