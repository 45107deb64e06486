package dev.clipsearch.searcher.bench;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexMetadata;
import dev.clipsearch.indexer.index.IndexQueries;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.index.search.LuceneSearchStore;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.indexer.store.ProductFilter;
import dev.clipsearch.indexer.store.ProductMatch;
import dev.clipsearch.indexer.store.SearchStore;
import dev.clipsearch.indexer.store.StoreView;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.image.PreprocessConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.VectorUtil;

/**
 * Recall@10 of the index's HNSW search against exact search, and queries per second, on seeded
 * random unit vectors. Builds (once) a clipsearch index with one product per vector, force-merged
 * to one segment so that one graph is searched, as FAISS searches one graph. Two query paths:
 *
 * <ul>
 *   <li>{@code hnsw}: Lucene's plain {@code KnnFloatVectorQuery} over the image vectors
 *   <li>{@code searcher}: the server's Lucene query, the block-join diversifying query plus the
 *       lookup of each hit's product document
 *   <li>{@code store}: what the server runs, {@code SearchStore} KNN on a per-query view (the query
 *       above, product ids from doc values, ranking ties by id)
 * </ul>
 *
 * <p>{@code k} stays 10; {@code candidates} is Lucene's {@code k} for the graph search (its beam,
 * FAISS's {@code efSearch}), of which the best 10 are kept. Prints a table; see {@code
 * searcher/bench/hnsw-bench.sh}.
 *
 * <pre>
 * HnswRecallBench --work DIR [--n 100000] [--dim 512] [--queries 1000] [--seed 42]
 *     [--candidates 10,20,40,80,160] [--threads 1] [--m 16] [--beam 100] [--clusters 0]
 * </pre>
 */
public final class HnswRecallBench {

  static final int TOP = 10;

  private static final List<String> PATHS = List.of("hnsw", "searcher", "store");

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = BenchArgs.parse(args);
    Path work = Path.of(BenchArgs.required(opts, "work"));
    int n = Integer.parseInt(opts.getOrDefault("n", "100000"));
    int dim = Integer.parseInt(opts.getOrDefault("dim", "512"));
    int queryCount = Integer.parseInt(opts.getOrDefault("queries", "1000"));
    long seed = Long.parseLong(opts.getOrDefault("seed", "42"));
    int threads = Integer.parseInt(opts.getOrDefault("threads", "1"));
    int m = Integer.parseInt(opts.getOrDefault("m", "16"));
    int beam = Integer.parseInt(opts.getOrDefault("beam", "100"));
    int clusters = Integer.parseInt(opts.getOrDefault("clusters", "0"));
    int[] candidates =
        Arrays.stream(opts.getOrDefault("candidates", "10,20,40,80,160").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();

    System.out.printf(
        Locale.ROOT,
        "HNSW recall@%d: %d x %d %s unit vectors (seed %d), %d queries (seed %d), m=%d beam=%d, %d search thread(s), %d cores%n",
        TOP,
        n,
        dim,
        clusters == 0 ? "uniform random" : "clustered (" + clusters + " centres, spread 1)",
        seed,
        queryCount,
        seed + 1,
        m,
        beam,
        threads,
        Runtime.getRuntime().availableProcessors());
    float[][] base =
        clusters == 0
            ? RandomVectors.generate(n, dim, seed)
            : RandomVectors.clustered(n, dim, seed, clusters, seed + 2, 1.0);
    float[][] queries =
        clusters == 0
            ? RandomVectors.generate(queryCount, dim, seed + 1)
            : RandomVectors.clustered(queryCount, dim, seed + 1, clusters, seed + 2, 1.0);
    Path vectorsFile = work.resolve("base.f32");
    if (!Files.exists(vectorsFile)) {
      RandomVectors.write(base, vectorsFile);
    }
    RandomVectors.write(queries, work.resolve("queries.f32")); // --queries may differ per run

    Path indexDir = work.resolve("index-m" + m + "-b" + beam);
    ModelSpec spec = new ModelSpec("bench-random-" + dim, dim, 77, PreprocessConfig.CLIP, 100f);
    if (!Files.exists(indexDir.resolve("segments_1"))
        && !DirectoryReader.indexExists(FSDirectory.open(indexDir))) {
      build(
          indexDir,
          spec,
          new IndexSettings(m, beam, IndexSettings.DEFAULTS.quantization(), 0),
          base);
    }

    long t0 = System.nanoTime();
    int[][] exact = exactTopK(base, queries, threads);
    System.out.printf(
        Locale.ROOT,
        "exact search (brute force, all cores): %.1f queries/s%n",
        queryCount / ((System.nanoTime() - t0) / 1e9));

    try (Directory dir = FSDirectory.open(indexDir);
        DirectoryReader reader = DirectoryReader.open(dir);
        SearchStore store = LuceneSearchStore.open(indexDir, spec, false, Duration.ofSeconds(60))) {
      IndexMetadata metadata = CatalogIndex.readMetadata(indexDir);
      IndexSearcher searcher = new IndexSearcher(reader);
      int[] productOfDoc = productNumbers(reader);
      System.out.printf(Locale.ROOT, "segments: %d%n", reader.leaves().size());
      System.out.printf(
          Locale.ROOT,
          "%-9s %10s %10s %12s %10s%n",
          "path",
          "candidates",
          "recall@10",
          "queries/s",
          "p50 ms");
      // Warm-up over every cell first (JIT, page cache), then the measured pass.
      for (String path : PATHS) {
        for (int c : candidates) {
          run(searcher, store, metadata, queries, Math.max(c, TOP), path, productOfDoc, threads);
        }
      }
      for (String path : PATHS) {
        for (int c : candidates) {
          int cand = Math.max(c, TOP);
          Result r = run(searcher, store, metadata, queries, cand, path, productOfDoc, threads);
          double recall = recall(r.found, exact);
          System.out.printf(
              Locale.ROOT,
              "%-9s %10d %10.4f %12.1f %10.3f%n",
              path,
              cand,
              recall,
              queryCount / r.seconds,
              r.p50Millis);
        }
      }
    }
  }

  record Result(int[][] found, double seconds, double p50Millis) {}

  private static Result run(
      IndexSearcher searcher,
      SearchStore store,
      IndexMetadata metadata,
      float[][] queries,
      int candidates,
      String path,
      int[] productOfDoc,
      int threads)
      throws Exception {
    int[][] found = new int[queries.length][];
    double[] millis = new double[queries.length];
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        tasks.add(
            pool.submit(
                () -> {
                  for (int q = first; q < queries.length; q += threads) {
                    long s = System.nanoTime();
                    if (path.equals("store")) {
                      found[q] = storeKnn(store, queries[q], candidates);
                      millis[q] = (System.nanoTime() - s) / 1e6;
                      continue;
                    }
                    Query query =
                        path.equals("hnsw")
                            ? new KnnFloatVectorQuery(
                                metadata.vectorField(), queries[q], candidates)
                            : IndexQueries.knn(metadata, queries[q], candidates, null);
                    TopDocs top = searcher.search(query, TOP);
                    int[] ids = new int[top.scoreDocs.length];
                    for (int i = 0; i < ids.length; i++) {
                      ScoreDoc hit = top.scoreDocs[i];
                      int doc =
                          path.equals("hnsw")
                              ? hit.doc
                              : IndexQueries.productDoc(searcher.getIndexReader(), hit.doc) - 1;
                      ids[i] = productOfDoc[doc];
                    }
                    found[q] = ids;
                    millis[q] = (System.nanoTime() - s) / 1e6;
                  }
                  return null;
                }));
      }
      for (Future<?> f : tasks) {
        f.get(1, TimeUnit.HOURS); // a bound, far above any measured run
      }
    } finally {
      pool.shutdown();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    return new Result(found, seconds, sorted[sorted.length / 2]);
  }

  /** The best {@link #TOP} products through the store seam, as vector numbers. */
  private static int[] storeKnn(SearchStore store, float[] query, int candidates) {
    try (StoreView view = store.view()) {
      List<ProductMatch> matches = view.knn(query, candidates, ProductFilter.NONE);
      int[] ids = new int[Math.min(TOP, matches.size())];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = Integer.parseInt(matches.get(i).productId().substring("p".length()));
      }
      return ids;
    }
  }

  /** For each image document, the number of its product (the vector's row in {@code base}). */
  private static int[] productNumbers(DirectoryReader reader) throws IOException {
    int[] numbers = new int[reader.maxDoc()];
    Arrays.fill(numbers, -1);
    StoredFields stored = reader.storedFields();
    for (int doc = 0; doc < reader.maxDoc(); doc++) {
      String source = stored.document(doc, Set.of("image_source")).get("image_source");
      if (source != null) {
        numbers[doc] = Integer.parseInt(source.substring("v".length()));
      }
    }
    return numbers;
  }

  static double recall(int[][] found, int[][] exact) {
    long hits = 0;
    for (int q = 0; q < exact.length; q++) {
      Set<Integer> truth = new HashSet<>();
      for (int id : exact[q]) {
        truth.add(id);
      }
      for (int id : found[q]) {
        if (truth.contains(id)) {
          hits++;
        }
      }
    }
    return hits / (double) (exact.length * TOP);
  }

  static int[][] exactTopK(float[][] base, float[][] queries, int threads) {
    int[][] out = new int[queries.length][];
    IntStream.range(0, queries.length)
        .parallel()
        .forEach(
            q -> {
              int[] ids = new int[TOP];
              float[] scores = new float[TOP];
              Arrays.fill(scores, Float.NEGATIVE_INFINITY);
              for (int i = 0; i < base.length; i++) {
                float s = VectorUtil.dotProduct(queries[q], base[i]);
                if (s > scores[TOP - 1]) {
                  int at = TOP - 1;
                  while (at > 0 && scores[at - 1] < s) {
                    scores[at] = scores[at - 1];
                    ids[at] = ids[at - 1];
                    at--;
                  }
                  scores[at] = s;
                  ids[at] = i;
                }
              }
              out[q] = ids;
            });
    return out;
  }

  static void build(Path dir, ModelSpec spec, IndexSettings settings, float[][] base)
      throws IOException {
    long start = System.nanoTime();
    try (CatalogIndex index =
        CatalogIndex.openOrCreate(dir, spec, settings, 512, Clock.systemUTC())) {
      for (int i = 0; i < base.length; i++) {
        String id = "p" + i;
        Product product =
            new Product(
                id,
                "product " + i,
                null,
                "brand" + (i % 50),
                "Cat" + (i % 7),
                null,
                null,
                List.of(),
                null,
                List.of("v" + i),
                Map.of());
        IndexedImage image = new IndexedImage(0, "v" + i, "v" + i, "v" + i, base[i], 1, 1, null);
        index.upsert(
            new IndexedProduct(
                product,
                ProductJson.canonical(product),
                new byte[32],
                "bench",
                List.of(image),
                List.of()));
      }
      index.commit("bench build");
    }
    double built = (System.nanoTime() - start) / 1e9;
    long mergeStart = System.nanoTime();
    try (Directory directory = FSDirectory.open(dir)) {
      Map<String, String> userData = SegmentInfos.readLatestCommit(directory).getUserData();
      try (IndexWriter writer =
          new IndexWriter(
              directory, new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.APPEND))) {
        writer.forceMerge(1);
        writer.setLiveCommitData(userData.entrySet());
        writer.commit();
      }
    }
    System.out.printf(
        Locale.ROOT,
        "built %d products in %.1f s (%.0f vectors/s, HNSW built while indexing), force-merged to one segment in %.1f s%n",
        base.length,
        built,
        base.length / built,
        (System.nanoTime() - mergeStart) / 1e9);
  }
}
