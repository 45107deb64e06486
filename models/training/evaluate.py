#!/usr/bin/python3
"""Evaluation of the offline model from vectors the Java runtime computed (evaluate.sh).

  evaluate.py lists  --data DATA --eval EVAL    writes the query and image lists to embed
  evaluate.py report --data DATA --eval EVAL    prints the tables from EVAL/<run>-*.f32

Runs (directories under WORK): `model` is the shipped model (every concept, every style);
`model-held-out` was trained without the twemoji style and without the held-out concepts.

- held-out style (model-held-out): text->image Recall@1/5/10 with each concept's name as the query,
  over every concept's twemoji image; image->image Recall@1/10, a twemoji image against every
  concept's fluent-3d (and noto) image, the hit being the same concept.
- held-out concepts (model-held-out): text->image recall among the held-out concepts only.
- the demo catalog (model): each product's name against the primary images of the catalog's 600
  products (seen data: a check of the demo, not of generalization).
- paraphrases (model): hits@1/@10 of paraphrases.tsv over the primary images of the catalog's
  products (fluent-3d where there is one, as the demo indexes them).
Chance level is printed beside each recall: k / gallery size.
"""

import argparse
import json
import os

import numpy as np

import common

HERE = os.path.dirname(os.path.abspath(__file__))
RUNS = ("model", "model-held-out")


def recall_at(scores, targets, ks):
    """scores [queries, gallery]; targets[i] the gallery index that counts as a hit for query i."""
    target_scores = scores[np.arange(len(targets)), targets][:, None]
    ranks = (scores > target_scores).sum(axis=1)   # ties count in the query's favour
    return {k: float((ranks < k).mean()) for k in ks}


def hits_at(scores, target_sets, ks):
    order = np.argsort(-scores, axis=1, kind="stable")
    return {k: float(np.mean([bool(set(order[i, :k]) & t) for i, t in enumerate(target_sets)])) for k in ks}


def lists(data, eval_dir, concepts):
    os.makedirs(eval_dir, exist_ok=True)
    queries = [c["label"] for c in concepts] + [q for q, _ in common.read_paraphrases(os.path.join(HERE, "paraphrases.tsv"))]
    common.write_lines(os.path.join(eval_dir, "queries.txt"), queries)
    for style in common.STYLES:
        paths = [c["images"][style] for c in concepts if style in c["images"]]
        common.write_lines(os.path.join(data, f"eval-images-{style}.txt"), paths)


def fmt(r, n):
    return "  ".join(f"R@{k} {v:.3f} (chance {min(1.0, k / n):.3f})" for k, v in r.items())


def report(data, eval_dir, concepts):
    ids = [c["id"] for c in concepts]
    paraphrases = common.read_paraphrases(os.path.join(HERE, "paraphrases.tsv"))
    results = {}
    vec = {}
    for run in RUNS:
        q = common.read_f32(os.path.join(eval_dir, f"{run}-queries.f32"), common.EMBED_DIM)
        vec[run] = {"labels": q[:len(concepts)], "paraphrases": q[len(concepts):]}
        for style in common.STYLES:
            vec[run][style] = common.read_f32(os.path.join(eval_dir, f"{run}-{style}.f32"), common.EMBED_DIM)
        parity_java = common.read_f32(os.path.join(eval_dir, f"{run}-parity.f32"), common.EMBED_DIM)
        parity_torch = common.read_f32(os.path.join(eval_dir, "..", f"{run}-parity.f32"), common.EMBED_DIM)
        results[f"{run}/parity_max_abs_diff"] = float(np.abs(parity_java - parity_torch).max())
    have = {s: [i for i, c in enumerate(concepts) if s in c["images"]] for s in common.STYLES}

    def text_to_image(run, style, subset):
        gallery_rows = {ci: r for r, ci in enumerate(have[style])}
        members = [ci for ci in subset if ci in gallery_rows]
        g = vec[run][style][[gallery_rows[ci] for ci in members]]
        scores = vec[run]["labels"][members] @ g.T
        return recall_at(scores, np.arange(len(members)), (1, 5, 10)), len(members)

    def image_to_image(run, query_style, gallery_style):
        rows_q = {ci: r for r, ci in enumerate(have[query_style])}
        rows_g = {ci: r for r, ci in enumerate(have[gallery_style])}
        both = [ci for ci in have[query_style] if ci in rows_g]
        scores = vec[run][query_style][[rows_q[ci] for ci in both]] @ vec[run][gallery_style].T
        targets = np.array([rows_g[ci] for ci in both])
        return recall_at(scores, targets, (1, 10)), len(have[gallery_style])

    all_concepts = list(range(len(concepts)))
    held = [i for i in all_concepts if common.is_held_out_concept(ids[i])]
    print(f"concepts: {len(concepts)}, held out: {len(held)}")
    for run in RUNS:
        print(f"{run}: Java runtime vs PyTorch on the same 64 images, max |difference| = "
              f"{results[run + '/parity_max_abs_diff']:.2e}")

    print(f"\n[model-held-out] held-out style {common.HELD_OUT_STYLE}: text->image (concept name), all concepts")
    r, n = text_to_image("model-held-out", common.HELD_OUT_STYLE, all_concepts)
    results["held_out_style/text_to_image"] = {"n": n, **r}
    print(f"  gallery {n}: {fmt(r, n)}")
    for g in ("fluent-3d", "noto"):
        r, n = image_to_image("model-held-out", common.HELD_OUT_STYLE, g)
        results[f"held_out_style/image_to_image/{g}"] = {"n": n, **r}
        print(f"  image->image {common.HELD_OUT_STYLE} -> {g}, gallery {n}: {fmt(r, n)}")

    print("\n[model-held-out] held-out concepts: text->image among the held-out concepts")
    for style in common.STYLES:
        r, n = text_to_image("model-held-out", style, held)
        results[f"held_out_concepts/{style}"] = {"n": n, **r}
        print(f"  {style:9s} gallery {n}: {fmt(r, n)}")

    print("\n[model] seen data (trained on): text->image (concept name), all concepts")
    for style in common.STYLES:
        r, n = text_to_image("model", style, all_concepts)
        results[f"shipped/seen/{style}"] = {"n": n, **r}
        print(f"  {style:9s} gallery {n}: {fmt(r, n)}")

    products = [i for i, c in enumerate(concepts) if c.get("category")]
    primary = []
    for i in products:
        style = next(s for s in common.STYLES if s in concepts[i]["images"])
        primary.append(vec["model"][style][have[style].index(i)])
    primary = np.stack(primary)
    product_row = {ids[i]: r for r, i in enumerate(products)}
    r = recall_at(vec["model"]["labels"][products] @ primary.T, np.arange(len(products)), (1, 5, 10))
    results["shipped/catalog_names"] = {"n": len(products), **r}
    print(f"\n[model] the demo catalog: product name -> primary image over its {len(products)} products (seen data)")
    print(f"  {fmt(r, len(products))}")
    missing = [e for _, exp in paraphrases for e in exp if e not in product_row]
    if missing:
        raise SystemExit(f"paraphrases.tsv names unknown products: {missing}")
    scores = vec["model"]["paraphrases"] @ primary.T
    targets = [{product_row[e] for e in exp} for _, exp in paraphrases]
    h = hits_at(scores, targets, (1, 10))
    results["shipped/paraphrases"] = {"queries": len(paraphrases), "products": len(products), **h}
    print(f"\n[model] paraphrase queries: {len(paraphrases)} over {len(products)} catalog products' primary images: "
          f"hits@1 {h[1]:.3f}  hits@10 {h[10]:.3f} (chance@10 about {10 / len(products):.3f} per expected product)")
    order = np.argsort(-scores, axis=1, kind="stable")
    for qi, (query, exp) in enumerate(paraphrases):
        top = [ids[products[j]] for j in order[qi, :3]]
        mark = "ok " if set(order[qi, :10]) & targets[qi] else "MISS"
        print(f"  {mark} {query!r:50s} -> {', '.join(top)}")
    with open(os.path.join(eval_dir, "results.json"), "w", encoding="utf-8") as f:
        json.dump(results, f, indent=2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("lists", "report"))
    parser.add_argument("--data", required=True)
    parser.add_argument("--eval", required=True)
    args = parser.parse_args()
    concepts = common.read_concepts(args.data)
    (lists if args.mode == "lists" else report)(args.data, args.eval, concepts)


if __name__ == "__main__":
    main()
