// hnswlib (Debian's libhnswlib-dev, header-only) compiled -O3 -march=native, measured with the same
// method as HnswRecallBench: on the vectors that bench writes (WORK/base.f32, WORK/queries.f32,
// little-endian float32 rows), inner product, one query per call on one thread, recall@10 against
// exact search. Each ef: passes over all queries until two successive passes differ by less than
// 3% in queries/s (at most 10), then REPS timed passes; prints median, min and max queries/s.
// The graph is saved in WORK and reused, with its build rate.
//
//   hnswlib_bench WORK DIM M BEAM CANDIDATES(10,20,..) REPS
// Output: comment lines starting with '#', then one tab-separated row per ef:
//   hnswlib  none  ef  1  recall  median_qps  min_qps  max_qps  p50_ms  warmup_passes
#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using Clock = std::chrono::steady_clock;

static std::vector<float> load(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) {
    fprintf(stderr, "cannot read %s\n", path.c_str());
    exit(2);
  }
  size_t bytes = in.tellg();
  in.seekg(0);
  std::vector<float> v(bytes / 4);
  in.read(reinterpret_cast<char*>(v.data()), bytes);
  return v;
}

static bool exists(const std::string& path) { return std::ifstream(path).good(); }

int main(int argc, char** argv) {
  if (argc != 7) {
    fprintf(stderr, "usage: %s WORK DIM M BEAM CANDIDATES REPS\n", argv[0]);
    return 2;
  }
  std::string work = argv[1];
  int dim = atoi(argv[2]), m = atoi(argv[3]), beam = atoi(argv[4]), reps = atoi(argv[6]);
  std::vector<int> candidates;
  {
    std::stringstream list(argv[5]);
    std::string item;
    while (std::getline(list, item, ',')) candidates.push_back(atoi(item.c_str()));
  }
  const int k = 10;
  std::vector<float> base = load(work + "/base.f32"), queries = load(work + "/queries.f32");
  size_t n = base.size() / dim, nq = queries.size() / dim;

  std::vector<std::set<int>> truth(nq);
#pragma omp parallel for
  for (long q = 0; q < (long)nq; q++) {
    std::vector<std::pair<float, int>> scored(n);
    const float* query = &queries[q * dim];
    for (size_t i = 0; i < n; i++) {
      const float* v = &base[i * dim];
      float dot = 0;
      for (int j = 0; j < dim; j++) dot += v[j] * query[j];
      scored[i] = {-dot, (int)i};
    }
    std::partial_sort(scored.begin(), scored.begin() + k, scored.end());
    for (int i = 0; i < k; i++) truth[q].insert(scored[i].second);
  }

  hnswlib::InnerProductSpace space(dim);
  std::string graph = work + "/hnswlib-m" + std::to_string(m) + "-b" + std::to_string(beam) + ".bin";
  hnswlib::HierarchicalNSW<float>* index;
  double rate;
  if (exists(graph) && exists(graph + ".rate")) {
    index = new hnswlib::HierarchicalNSW<float>(&space, graph);
    std::ifstream(graph + ".rate") >> rate;
    printf("# hnswlib graph loaded from %s (built earlier at %.0f vectors/s, 1 thread)\n",
           graph.c_str(), rate);
  } else {
    auto start = Clock::now();
    index = new hnswlib::HierarchicalNSW<float>(&space, n, m, beam, 42);
    for (size_t i = 0; i < n; i++) index->addPoint(&base[i * dim], i);
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    rate = n / seconds;
    index->saveIndex(graph);
    std::ofstream(graph + ".rate") << rate;
    printf("# hnswlib built %zu vectors in %.1f s: %.0f vectors/s on 1 thread\n", n, seconds, rate);
  }
  printf("# hnswlib build_rate %.0f\n", rate);

  for (int c : candidates) {
    int ef = std::max(c, k);
    index->setEf(ef);
    std::vector<double> latencies(nq);
    auto pass = [&](size_t* hits) {
      auto start = Clock::now();
      for (size_t q = 0; q < nq; q++) {
        auto s = Clock::now();
        auto found = index->searchKnn(&queries[q * dim], k);
        latencies[q] = std::chrono::duration<double, std::milli>(Clock::now() - s).count();
        if (hits) {
          while (!found.empty()) {
            *hits += truth[q].count((int)found.top().second);
            found.pop();
          }
        }
      }
      return nq / std::chrono::duration<double>(Clock::now() - start).count();
    };
    int warmup = 1;
    double last = pass(nullptr);
    for (; warmup < 10; warmup++) {
      double now = pass(nullptr);
      bool settled = std::fabs(now - last) < 0.03 * last;
      last = now;
      if (settled) {
        warmup++;
        break;
      }
    }
    std::vector<double> rates, all;
    size_t hits = 0;
    for (int r = 0; r < reps; r++) {
      rates.push_back(pass(r == 0 ? &hits : nullptr));
      all.insert(all.end(), latencies.begin(), latencies.end());
    }
    std::sort(rates.begin(), rates.end());
    std::sort(all.begin(), all.end());
    printf("hnswlib\tnone\t%d\t1\t%.4f\t%.1f\t%.1f\t%.1f\t%.3f\t%d\n", ef, hits / double(nq * k),
           rates[rates.size() / 2], rates.front(), rates.back(), all[all.size() / 2], warmup);
    fflush(stdout);
  }
  delete index;
}
