#!/usr/bin/python3
"""FAISS HNSW on the vectors HnswRecallBench wrote: recall@10 against exact search and queries/s.

Same vectors, same queries, same graph parameters (M, efConstruction) and the same sweep of the
search beam (efSearch = Lucene's candidates) as the Java benchmark, on the same cores.

    faiss_hnsw.py --work DIR --dim 512 [--m 16] [--beam 100] [--candidates 10,20,40,80,160]
                  [--threads 1]
"""
import argparse
import os
import time

import faiss
import numpy as np

TOP = 10


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--work", required=True)
    p.add_argument("--dim", type=int, default=512)
    p.add_argument("--m", type=int, default=16)
    p.add_argument("--beam", type=int, default=100)
    p.add_argument("--candidates", default="10,20,40,80,160")
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    base = np.fromfile(os.path.join(a.work, "base.f32"), dtype="<f4").reshape(-1, a.dim)
    queries = np.fromfile(os.path.join(a.work, "queries.f32"), dtype="<f4").reshape(-1, a.dim)

    faiss.omp_set_num_threads(os.cpu_count())
    exact = faiss.IndexFlatIP(a.dim)
    exact.add(base)
    _, truth = exact.search(queries, TOP)

    index = faiss.IndexHNSWFlat(a.dim, a.m, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = a.beam
    start = time.perf_counter()
    index.add(base)
    built = time.perf_counter() - start
    print(f"faiss {faiss.__version__}: built HNSW over {len(base)} vectors in {built:.1f} s "
          f"({len(base) / built:.0f} vectors/s, {os.cpu_count()} threads)")

    faiss.omp_set_num_threads(a.threads)
    print(f"{'path':<9} {'candidates':>10} {'recall@10':>10} {'queries/s':>12} {'p50 ms':>10}")
    for c in (int(x) for x in a.candidates.split(",")):
        ef = max(c, TOP)
        index.hnsw.efSearch = ef
        index.search(queries, TOP)  # warm-up
        # One query per call, like a server answering requests (batching would hide latency).
        times = []
        found = np.empty((len(queries), TOP), dtype=np.int64)
        start = time.perf_counter()
        for q in range(len(queries)):
            s = time.perf_counter()
            _, ids = index.search(queries[q : q + 1], TOP)
            times.append(time.perf_counter() - s)
            found[q] = ids[0]
        seconds = time.perf_counter() - start
        hits = sum(len(set(found[q]) & set(truth[q])) for q in range(len(queries)))
        recall = hits / (len(queries) * TOP)
        print(f"{'faiss':<9} {ef:>10} {recall:>10.4f} {len(queries) / seconds:>12.1f} "
              f"{sorted(times)[len(times) // 2] * 1000:>10.3f}")


if __name__ == "__main__":
    main()
