// hnswlib's single-thread build rate by CPU time as well as wall time, so that it compares with
// HnswBuildBench's products per CPU second on a machine other jobs share: loads WORK/base.f32
// (little-endian float32 rows, as HnswBuildBench --export writes them), builds an inner-product
// graph with M and efConstruction BEAM on one thread, prints both rates.
//
//   hnswlib_build_cpu WORK DIM M BEAM
#include <hnswlib/hnswlib.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

static double cpu_seconds() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s WORK DIM M BEAM\n", argv[0]);
    return 2;
  }
  std::string path = std::string(argv[1]) + "/base.f32";
  int dim = atoi(argv[2]), m = atoi(argv[3]), beam = atoi(argv[4]);
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) {
    fprintf(stderr, "cannot read %s\n", path.c_str());
    return 2;
  }
  size_t bytes = in.tellg();
  in.seekg(0);
  std::vector<float> base(bytes / 4);
  in.read(reinterpret_cast<char*>(base.data()), bytes);
  size_t n = base.size() / dim;
  hnswlib::InnerProductSpace space(dim);
  auto wall0 = std::chrono::steady_clock::now();
  double cpu0 = cpu_seconds();
  hnswlib::HierarchicalNSW<float> index(&space, n, m, beam, 42);
  for (size_t i = 0; i < n; i++) index.addPoint(&base[i * dim], i);
  double cpu = cpu_seconds() - cpu0;
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  printf("hnswlib build, 1 thread: %zu vectors, %.1f s wall (%.0f vectors/s), %.1f s CPU (%.0f"
         " vectors per CPU second)\n", n, wall, n / wall, cpu, n / cpu);
  return 0;
}
