package dev.clipsearch.indexer.bench;

import static dev.clipsearch.models.testing.TestProducts.unitVector;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexQueries;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.index.IndexSnapshot;
import dev.clipsearch.indexer.index.Quantization;
import dev.clipsearch.indexer.pipeline.CommitCadence;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.image.PreprocessConfig;
import dev.clipsearch.models.testing.TestProducts;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;

/**
 * HNSW build rate with precomputed vectors: seeded unit vectors (one image per product) written
 * through {@link CatalogIndex} as the indexer's bulk path writes them: {@code --writers} threads
 * upserting at once (one segment and graph per thread), a commit every {@code --commit-every}
 * products counted over all threads ({@link CommitCadence}, the pipeline's own), the indexer's RAM
 * buffer. For each quantization and writer count it prints three stages, each timed and then
 * searched: the load (adds and commits, merges running meanwhile), the merges still pending at its
 * end (what the indexer waits for before its last commit), and a force merge to one segment.
 * Search: recall@10 against brute force and single-thread queries/s ({@code searcher.search} of the
 * diversifying block-join KNN query, warmed until two passes differ by under 3%, median of {@code
 * --reps}) at each of {@code --candidates}. Run through {@code indexer/bench/hnsw-bench.sh}, which
 * also builds hnswlib's graph on the same vectors ({@code --export DIR} writes them).
 *
 * <p>Vectors are {@code clustered} by default, like real embeddings: 1,000 random unit centroids,
 * each vector a centroid plus Gaussian noise (cosine to its centroid about 0.65), normalized.
 * {@code --distribution uniform} draws them uniformly on the sphere instead, the worst case for any
 * graph index (every distance is about the same in 512 dimensions).
 *
 * <pre>
 * HnswBuildBench [--vectors 100000] [--dim 512] [--m 16] [--beam 100] [--quantization none]
 *                [--writers 1,2] [--commit-every 5000] [--ram-buffer-mb 256] [--force-merge yes]
 *                [--queries 200] [--candidates 20,40] [--reps 3]
 *                [--distribution clustered|uniform] [--seed 42] [--dir DIR] [--export DIR]
 * </pre>
 */
public final class HnswBuildBench {

  private HnswBuildBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --option value, got " + args[i]);
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    Set<String> known =
        Set.of(
            "vectors",
            "dim",
            "m",
            "beam",
            "quantization",
            "writers",
            "commit-every",
            "ram-buffer-mb",
            "force-merge",
            "queries",
            "candidates",
            "reps",
            "distribution",
            "seed",
            "dir",
            "export");
    for (String key : opts.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException("unknown option --" + key);
      }
    }
    int vectors = Integer.parseInt(opts.getOrDefault("vectors", "100000"));
    int dim = Integer.parseInt(opts.getOrDefault("dim", "512"));
    int m = Integer.parseInt(opts.getOrDefault("m", "16"));
    int beam = Integer.parseInt(opts.getOrDefault("beam", "100"));
    int queries = Integer.parseInt(opts.getOrDefault("queries", "200"));
    int reps = Integer.parseInt(opts.getOrDefault("reps", "3"));
    int commitEvery = Integer.parseInt(opts.getOrDefault("commit-every", "5000"));
    double ramBufferMb = Double.parseDouble(opts.getOrDefault("ram-buffer-mb", "256"));
    boolean forceMerge = !"no".equals(opts.getOrDefault("force-merge", "yes"));
    long seed = Long.parseLong(opts.getOrDefault("seed", "42"));
    boolean clustered = !"uniform".equals(opts.getOrDefault("distribution", "clustered"));
    List<Integer> writerCounts = ints(opts.getOrDefault("writers", "1,2"));
    List<Integer> candidates = ints(opts.getOrDefault("candidates", "20,40"));
    List<Quantization> quantizations =
        Arrays.stream(opts.getOrDefault("quantization", "none").split(","))
            .map(Quantization::fromCode)
            .toList();
    Path root =
        opts.containsKey("dir")
            ? Path.of(opts.get("dir"))
            : Files.createTempDirectory("hnsw-bench");
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(
        Locale.ROOT,
        "HNSW build: %,d %s unit vectors x %d, m=%d, beam width=%d, commit every %s, RAM buffer"
            + " %.0f MB, %d cores (%d merge workers), seed %d%n",
        vectors,
        clustered ? "clustered" : "uniform random",
        dim,
        m,
        beam,
        commitEvery > 0 ? String.format(Locale.ROOT, "%,d products", commitEvery) : "never",
        ramBufferMb,
        cores,
        cores,
        seed);
    Random random = new Random(seed);
    float[][] centroids = new float[1000][];
    for (int i = 0; i < centroids.length; i++) {
      centroids[i] = unitVector(random, dim);
    }
    float[][] data = new float[vectors][];
    for (int i = 0; i < vectors; i++) {
      data[i] =
          clustered
              ? near(random, centroids[random.nextInt(centroids.length)])
              : unitVector(random, dim);
    }
    float[][] queryVectors = new float[queries][];
    for (int i = 0; i < queries; i++) {
      queryVectors[i] =
          clustered
              ? near(random, centroids[random.nextInt(centroids.length)])
              : unitVector(random, dim);
    }
    if (opts.containsKey("export")) {
      Path export = Path.of(opts.get("export"));
      Files.createDirectories(export);
      writeFloats(export.resolve("base.f32"), data);
      writeFloats(export.resolve("queries.f32"), queryVectors);
      System.out.println("vectors written to " + export + " (base.f32, queries.f32)");
    }
    List<Set<Integer>> truth =
        Arrays.stream(queryVectors).parallel().map(q -> exactTop10(data, q)).toList();
    ModelSpec model = new ModelSpec("bench-random-" + dim, dim, 77, PreprocessConfig.CLIP, 100f);
    StringBuilder header =
        new StringBuilder(
            "| quantization | writers | stage | stage s | products/s so far | per core | per CPU s"
                + " | segments | size on disk |");
    StringBuilder rule = new StringBuilder("|---|---:|---|---:|---:|---:|---:|---:|---:|");
    for (int c : candidates) {
      header.append(" recall@10 (").append(c).append(") | q/s (").append(c).append(") |");
      rule.append("---:|---:|");
    }
    System.out.println(header);
    System.out.println(rule);
    for (Quantization q : quantizations) {
      for (int writers : writerCounts) {
        Path indexDir = root.resolve(q.code() + "-w" + writers);
        deleteTree(indexDir);
        IndexSettings settings =
            IndexSettings.DEFAULTS.withHnsw(m, beam).withQuantization(q).withThumbnailSize(0);
        Bench bench =
            new Bench(q, writers, vectors, cores, indexDir, queryVectors, truth, candidates, reps);
        try (CatalogIndex index =
            CatalogIndex.openOrCreate(indexDir, model, settings, ramBufferMb, Clock.systemUTC())) {
          long t0 = System.nanoTime();
          long c0 = cpuNanos();
          CommitCadence commits =
              commitEvery > 0
                  ? new CommitCadence(index, commitEvery, Duration.ofSeconds(60))
                  : null;
          addAll(index, vectors, writers, i -> product(i, data[i]), commits);
          index.commit("bench");
          bench.stage(
              index,
              "load" + (commitEvery > 0 ? " (commits every " + commitEvery + ")" : ""),
              seconds(t0),
              seconds(c0, cpuNanos()));
          long t1 = System.nanoTime();
          long c1 = cpuNanos();
          index.awaitMerges();
          index.commit("bench");
          bench.stage(index, "+ pending merges", seconds(t1), seconds(c1, cpuNanos()));
          if (forceMerge) {
            long t2 = System.nanoTime();
            long c2 = cpuNanos();
            index.forceMerge(1);
            index.commit("bench");
            bench.stage(index, "+ force merge to 1", seconds(t2), seconds(c2, cpuNanos()));
          }
        }
      }
    }
    System.out.println(
        "products/s so far: products over the wall time of this stage and those above it; per"
            + " core: over the writer threads or cores, whichever is fewer; per CPU s: products"
            + " over the CPU time this process used in those stages (every thread: writers,"
            + " merges, GC), which a busy machine inflates less than wall time.");
  }

  /** One index being built: prints a row per stage, with the search measured at its end. */
  private static final class Bench {
    private final Quantization quantization;
    private final int writers;
    private final int vectors;
    private final int cores;
    private final Path dir;
    private final float[][] queries;
    private final List<Set<Integer>> truth;
    private final List<Integer> candidates;
    private final int reps;
    private double elapsed;
    private double cpuSeconds;

    Bench(
        Quantization quantization,
        int writers,
        int vectors,
        int cores,
        Path dir,
        float[][] queries,
        List<Set<Integer>> truth,
        List<Integer> candidates,
        int reps) {
      this.quantization = quantization;
      this.writers = writers;
      this.vectors = vectors;
      this.cores = cores;
      this.dir = dir;
      this.queries = queries;
      this.truth = truth;
      this.candidates = candidates;
      this.reps = reps;
    }

    /** Prints the stage that took {@code seconds} and {@code cpu} seconds of this process's CPU. */
    void stage(CatalogIndex index, String name, double seconds, double cpu) throws Exception {
      elapsed += seconds;
      cpuSeconds += cpu;
      StringBuilder row = new StringBuilder();
      int segments;
      try (IndexSnapshot snapshot = index.snapshot()) {
        segments = snapshot.reader().leaves().size();
        for (int c : candidates) {
          double[] measured = search(index, snapshot, c);
          row.append(String.format(Locale.ROOT, " %.4f | %,.0f |", measured[0], measured[1]));
        }
      }
      double rate = vectors / elapsed;
      System.out.printf(
          Locale.ROOT,
          "| %s | %d | %s | %.1f | %,.0f | %,.0f | %,.0f | %d | %.0f MB |%s%n",
          quantization.code(),
          writers,
          name,
          seconds,
          rate,
          rate / Math.min(writers, cores),
          vectors / cpuSeconds,
          segments,
          CatalogIndex.stats(dir).sizeOnDiskBytes() / 1e6,
          row);
    }

    /** Recall@10 and median single-thread queries/s at {@code k} candidates. */
    private double[] search(CatalogIndex index, IndexSnapshot snapshot, int k) throws Exception {
      IndexSearcher searcher = new IndexSearcher(snapshot.reader());
      Query[] built = new Query[queries.length];
      for (int i = 0; i < queries.length; i++) {
        built[i] = IndexQueries.knn(index.metadata(), queries[i], k, null);
      }
      int found = 0;
      for (int i = 0; i < queries.length; i++) {
        for (ScoreDoc hit : searcher.search(built[i], 10).scoreDocs) {
          int productDoc = IndexQueries.productDoc(snapshot.reader(), hit.doc);
          String id = searcher.storedFields().document(productDoc).get("id");
          found += truth.get(i).contains(Integer.parseInt(id.substring(1))) ? 1 : 0;
        }
      }
      double last = pass(searcher, built);
      for (int warm = 0; warm < 10; warm++) {
        double now = pass(searcher, built);
        boolean settled = Math.abs(now - last) < 0.03 * last;
        last = now;
        if (settled) {
          break;
        }
      }
      double[] rates = new double[reps];
      for (int r = 0; r < reps; r++) {
        rates[r] = pass(searcher, built);
      }
      Arrays.sort(rates);
      return new double[] {found / (10.0 * queries.length), rates[reps / 2]};
    }

    private static double pass(IndexSearcher searcher, Query[] built) throws Exception {
      long t0 = System.nanoTime();
      for (Query query : built) {
        searcher.search(query, 10);
      }
      return built.length / seconds(t0);
    }
  }

  /**
   * Adds products {@code 0..count-1}, made by {@code product}, from {@code writers} threads at once
   * (one segment, and one graph built, per thread); the benches that build indexes share it.
   */
  public static void addAll(
      CatalogIndex index, int count, int writers, IntFunction<IndexedProduct> product)
      throws Exception {
    addAll(index, count, writers, product, null);
  }

  /** As above, committing when {@code commits} says so (null: never). */
  private static void addAll(
      CatalogIndex index,
      int count,
      int writers,
      IntFunction<IndexedProduct> product,
      CommitCadence commits)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int first = w;
        tasks.add(
            pool.submit(
                () -> {
                  for (int i = first; i < count; i += writers) {
                    index.upsert(product.apply(i));
                    if (commits != null) {
                      commits.written();
                      commits.commitIfDue("bench");
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> task : tasks) {
        task.get(10, TimeUnit.HOURS); // a bound, far above any build here
      }
    } finally {
      pool.shutdown();
    }
  }

  private static IndexedProduct product(int i, float[] vector) {
    String id = "p" + i;
    Product product =
        new Product(
            id,
            "Product " + i,
            null,
            null,
            null,
            null,
            null,
            List.of(),
            null,
            List.of(id + ".jpg"),
            Map.of());
    return new IndexedProduct(
        product,
        "{\"id\":\"" + id + "\"}",
        new byte[32],
        "",
        List.of(new IndexedImage(0, id + ".jpg", "bench", "", vector, 1, 1, null)),
        List.of());
  }

  /** The 10 nearest by dot product, each vector scored once. */
  private static Set<Integer> exactTop10(float[][] data, float[] q) {
    PriorityQueue<double[]> heap = new PriorityQueue<>(Comparator.comparingDouble(e -> e[0]));
    for (int i = 0; i < data.length; i++) {
      double s = score(data, q, i);
      if (heap.size() < 10) {
        heap.add(new double[] {s, i});
      } else if (s > heap.peek()[0]) {
        heap.poll();
        heap.add(new double[] {s, i});
      }
    }
    Set<Integer> ids = new HashSet<>();
    heap.forEach(e -> ids.add((int) e[1]));
    return ids;
  }

  private static double score(float[][] data, float[] q, int i) {
    float[] v = data[i];
    double s = 0;
    for (int d = 0; d < v.length; d++) {
      s += v[d] * q[d];
    }
    return s;
  }

  /** A unit vector near {@code centroid}: noise of norm about 1.15 in 512 dimensions. */
  private static float[] near(Random random, float[] centroid) {
    float[] v = new float[centroid.length];
    double sigma = 1.15 / Math.sqrt(centroid.length);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (centroid[i] + sigma * random.nextGaussian());
    }
    return TestProducts.normalize(v);
  }

  private static List<Integer> ints(String list) {
    return Arrays.stream(list.split(",")).map(String::trim).map(Integer::parseInt).toList();
  }

  /** Little-endian float32 rows, as hnswlib_bench reads them. */
  private static void writeFloats(Path file, float[][] rows) throws IOException {
    ByteBuffer buffer =
        ByteBuffer.allocate(rows.length * rows[0].length * Float.BYTES)
            .order(ByteOrder.LITTLE_ENDIAN);
    for (float[] row : rows) {
      for (float x : row) {
        buffer.putFloat(x);
      }
    }
    Files.write(file, buffer.array());
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  /** CPU time of this process so far (every thread: writers, merges, GC, JIT). */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double seconds(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1e9;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
