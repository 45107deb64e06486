package dev.clipsearch.indexer.bench;

import static dev.clipsearch.models.testing.TestProducts.unitVector;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexQueries;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.index.IndexSnapshot;
import dev.clipsearch.indexer.index.IndexStats;
import dev.clipsearch.indexer.index.Quantization;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.image.PreprocessConfig;
import dev.clipsearch.models.testing.TestProducts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;

/**
 * HNSW build rate with precomputed vectors: seeded unit vectors (one image per product) written
 * through {@link CatalogIndex} exactly as the indexer writes them, for each quantization. Prints a
 * table: add rate (graph insertion happens while adding), commit and force-merge times, size on
 * disk, and recall@10 against brute force. Run through {@code indexer/bench/hnsw-bench.sh}.
 *
 * <p>Vectors are {@code clustered} by default, like real embeddings: 1,000 random unit centroids,
 * each vector a centroid plus Gaussian noise (cosine to its centroid about 0.65), normalized.
 * {@code --distribution uniform} draws them uniformly on the sphere instead, the worst case for any
 * graph index (every distance is about the same in 512 dimensions).
 *
 * <pre>
 * HnswBuildBench [--vectors 100000] [--dim 512] [--m 16] [--beam 100]
 *                [--quantization none,int8,int4] [--queries 50] [--candidates 100]
 *                [--distribution clustered|uniform] [--writers 1] [--dir DIR]
 * </pre>
 */
public final class HnswBuildBench {

  private HnswBuildBench() {}

  public static void main(String[] args) throws Exception {
    int vectors = 100_000;
    int dim = 512;
    int m = 16;
    int beam = 100;
    int queries = 50;
    int candidates = 100;
    int writers = 1;
    long seed = 42;
    List<Quantization> quantizations = List.of(Quantization.values());
    boolean clustered = true;
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--vectors" -> vectors = Integer.parseInt(value);
        case "--dim" -> dim = Integer.parseInt(value);
        case "--m" -> m = Integer.parseInt(value);
        case "--beam" -> beam = Integer.parseInt(value);
        case "--queries" -> queries = Integer.parseInt(value);
        case "--candidates" -> candidates = Integer.parseInt(value);
        case "--seed" -> seed = Long.parseLong(value);
        case "--writers" -> writers = Integer.parseInt(value);
        case "--dir" -> dir = Path.of(value);
        case "--distribution" -> clustered = !"uniform".equals(value);
        case "--quantization" ->
            quantizations = Arrays.stream(value.split(",")).map(Quantization::fromCode).toList();
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
      i++;
    }
    Path root = dir != null ? dir : Files.createTempDirectory("hnsw-bench");
    System.out.printf(
        Locale.ROOT,
        "HNSW build: %,d %s unit vectors x %d, m=%d, beam width=%d, %d writer thread(s), %d cores,"
            + " seed %d%n",
        vectors,
        clustered ? "clustered" : "uniform random",
        dim,
        m,
        beam,
        writers,
        Runtime.getRuntime().availableProcessors(),
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
    List<Set<Integer>> truth = new ArrayList<>();
    for (float[] q : queryVectors) {
      truth.add(exactTop10(data, q));
    }
    ModelSpec model = new ModelSpec("bench-random-" + dim, dim, 77, PreprocessConfig.CLIP, 100f);
    System.out.println(
        "| quantization | add s | vectors/s (add) | commit s | force-merge s | size on disk |"
            + " recall@10 ("
            + candidates
            + " candidates) |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    for (Quantization q : quantizations) {
      Path indexDir = root.resolve(q.code());
      IndexSettings settings =
          IndexSettings.DEFAULTS.withHnsw(m, beam).withQuantization(q).withThumbnailSize(0);
      long t0 = System.nanoTime();
      double addSeconds;
      double commitSeconds;
      double mergeSeconds;
      double recall;
      try (CatalogIndex index =
          CatalogIndex.openOrCreate(indexDir, model, settings, 512, Clock.systemUTC())) {
        addAll(index, data, writers);
        addSeconds = seconds(t0);
        long t1 = System.nanoTime();
        index.commit("bench");
        commitSeconds = seconds(t1);
        long t2 = System.nanoTime();
        index.forceMerge(1);
        index.commit("bench");
        mergeSeconds = seconds(t2);
        try (IndexSnapshot snapshot = index.snapshot()) {
          IndexSearcher searcher = new IndexSearcher(snapshot.reader());
          int found = 0;
          for (int i = 0; i < queries; i++) {
            TopDocs top =
                searcher.search(
                    IndexQueries.knn(index.metadata(), queryVectors[i], candidates, null), 10);
            for (ScoreDoc hit : top.scoreDocs) {
              int productDoc = IndexQueries.productDoc(snapshot.reader(), hit.doc);
              String id = searcher.storedFields().document(productDoc).get("id");
              found += truth.get(i).contains(Integer.parseInt(id.substring(1))) ? 1 : 0;
            }
          }
          recall = (double) found / (10.0 * queries);
        }
      }
      IndexStats stats = CatalogIndex.stats(indexDir);
      System.out.printf(
          Locale.ROOT,
          "| %s | %.1f | %,.0f | %.1f | %.1f | %.0f MB | %.3f |%n",
          q.code(),
          addSeconds,
          vectors / (addSeconds + commitSeconds),
          commitSeconds,
          mergeSeconds,
          stats.sizeOnDiskBytes() / 1e6,
          recall);
    }
    System.out.println(
        "vectors/s counts the add and the commit (flush) of the first segment; force-merge rebuilds"
            + " one graph from the flushed segments.");
  }

  /**
   * Adds every vector as a product from {@code writers} threads at once: Lucene gives each thread
   * its own segment, so the graphs are built in parallel and joined by the merge.
   */
  private static void addAll(CatalogIndex index, float[][] data, int writers) throws Exception {
    addAll(index, data.length, writers, i -> product(i, data[i]));
  }

  /**
   * Adds products {@code 0..count-1}, made by {@code product}, from {@code writers} threads at once
   * (one segment, and one graph built, per thread); the benches that build indexes share it.
   */
  public static void addAll(
      CatalogIndex index, int count, int writers, IntFunction<IndexedProduct> product)
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

  private static Set<Integer> exactTop10(float[][] data, float[] q) {
    PriorityQueue<int[]> heap =
        new PriorityQueue<>(Comparator.comparingDouble(e -> score(data, q, e[0])));
    for (int i = 0; i < data.length; i++) {
      heap.add(new int[] {i});
      if (heap.size() > 10) {
        heap.poll();
      }
    }
    Set<Integer> ids = new HashSet<>();
    heap.forEach(e -> ids.add(e[0]));
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

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
