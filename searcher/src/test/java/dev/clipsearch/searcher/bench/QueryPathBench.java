package dev.clipsearch.searcher.bench;

import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexMetadata;
import dev.clipsearch.indexer.index.search.LuceneSearchStore;
import dev.clipsearch.indexer.store.FacetCounts;
import dev.clipsearch.indexer.store.MatchedProduct;
import dev.clipsearch.indexer.store.ProductFilter;
import dev.clipsearch.indexer.store.ProductMatch;
import dev.clipsearch.indexer.store.SearchStore;
import dev.clipsearch.indexer.store.StoreView;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.image.PreprocessConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;

/**
 * The query path's overhead over the raw graph search, on the index {@link HnswRecallBench} builds
 * (one segment, one image per product) and its queries: for each candidate count, the same queries
 * through
 *
 * <ul>
 *   <li>{@code raw}: Lucene's plain {@code KnnFloatVectorQuery} over the image vectors, best 10
 *   <li>{@code knn}: {@code StoreView.knn} on a per-query view, as the server ranks (the block-join
 *       diversifying query, product documents, ids from doc values, ties by id)
 *   <li>{@code page}: {@code knn}, then what a search response reads: the best 10 products' stored
 *       display fields and the category and brand facets over the best 100
 * </ul>
 *
 * <p>The paths take turns, round after round ({@code --rounds}, after {@code --warmup} rounds that
 * are not counted), so that a change in the machine's load hits all of them alike; it prints each
 * path's median queries/s over the rounds, the spread (lowest and highest round) and the median's
 * ratio to {@code raw}, then the same for the thread's CPU time per query, which a machine shared
 * with other work disturbs far less than the wall clock. One thread. With {@code --only PATH
 * --seconds S} it runs one path for that long and prints nothing else: a target for a profiler.
 *
 * <pre>
 * QueryPathBench --work DIR [--dim 512] [--queries 1000] [--seed 42] [--clusters 1000]
 *     [--m 16] [--beam 100] [--candidates 10,100,160] [--rounds 7] [--warmup 3]
 *     [--only raw|knn|page --seconds 60]
 * </pre>
 */
public final class QueryPathBench {

  private static final int TOP = 10;
  private static final List<String> PATHS = List.of("raw", "knn", "page");

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = BenchArgs.parse(args);
    Path work = Path.of(BenchArgs.required(opts, "work"));
    int dim = Integer.parseInt(opts.getOrDefault("dim", "512"));
    int queryCount = Integer.parseInt(opts.getOrDefault("queries", "1000"));
    long seed = Long.parseLong(opts.getOrDefault("seed", "42"));
    int clusters = Integer.parseInt(opts.getOrDefault("clusters", "1000"));
    int m = Integer.parseInt(opts.getOrDefault("m", "16"));
    int beam = Integer.parseInt(opts.getOrDefault("beam", "100"));
    int rounds = Integer.parseInt(opts.getOrDefault("rounds", "7"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "3"));
    int[] candidates =
        Arrays.stream(opts.getOrDefault("candidates", "10,100,160").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    float[][] queries =
        clusters == 0
            ? RandomVectors.generate(queryCount, dim, seed + 1)
            : RandomVectors.clustered(queryCount, dim, seed + 1, clusters, seed + 2, 1.0);
    Path indexDir = work.resolve("index-m" + m + "-b" + beam);
    ModelSpec spec = new ModelSpec("bench-random-" + dim, dim, 77, PreprocessConfig.CLIP, 100f);
    try (FSDirectory dir = FSDirectory.open(indexDir);
        DirectoryReader reader = DirectoryReader.open(dir);
        SearchStore store = LuceneSearchStore.open(indexDir, spec, false, Duration.ofSeconds(60))) {
      IndexMetadata metadata = CatalogIndex.readMetadata(indexDir);
      IndexSearcher searcher = new IndexSearcher(reader);
      Paths paths = new Paths(searcher, metadata, store);
      if (opts.containsKey("only")) {
        String only = opts.get("only");
        long end =
            System.nanoTime() + Long.parseLong(opts.getOrDefault("seconds", "60")) * 1_000_000_000L;
        while (System.nanoTime() < end) {
          paths.run(only, queries, candidates[candidates.length - 1]);
        }
        return;
      }
      System.out.printf(
          Locale.ROOT,
          "query path vs raw graph search: %d products (one image each), %d queries, %d rounds"
              + " after %d warm-up rounds, one thread, %d cores shared with other work%n",
          reader.numDocs() / 2,
          queryCount,
          rounds,
          warmup,
          Runtime.getRuntime().availableProcessors());
      System.out.printf(
          Locale.ROOT,
          "%-5s %10s %12s %18s %8s %12s %18s %8s%n",
          "path",
          "candidates",
          "queries/s",
          "spread",
          "vs raw",
          "CPU us/q",
          "spread",
          "vs raw");
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      for (int c : candidates) {
        double[][] qps = new double[PATHS.size()][rounds];
        double[][] cpu = new double[PATHS.size()][rounds];
        for (int r = -warmup; r < rounds; r++) {
          for (int p = 0; p < PATHS.size(); p++) {
            long start = System.nanoTime();
            long cpuStart = threads.getCurrentThreadCpuTime();
            paths.run(PATHS.get(p), queries, c);
            if (r >= 0) {
              qps[p][r] = queries.length / ((System.nanoTime() - start) / 1e9);
              cpu[p][r] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e3 / queries.length;
            }
          }
        }
        for (int p = 0; p < PATHS.size(); p++) {
          System.out.printf(
              Locale.ROOT,
              "%-5s %10d %12.1f %18s %7.2fx %12.1f %18s %7.2fx%n",
              PATHS.get(p),
              c,
              median(qps[p]),
              spread(qps[p]),
              median(qps[0]) / median(qps[p]),
              median(cpu[p]),
              spread(cpu[p]),
              median(cpu[p]) / median(cpu[0]));
        }
      }
    }
  }

  private static String spread(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return String.format(Locale.ROOT, "%.0f-%.0f", sorted[0], sorted[sorted.length - 1]);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** The three ways of answering a query; {@link #sink} keeps the JIT from dropping the work. */
  private static final class Paths {
    private final IndexSearcher searcher;
    private final IndexMetadata metadata;
    private final SearchStore store;
    long sink;

    Paths(IndexSearcher searcher, IndexMetadata metadata, SearchStore store) {
      this.searcher = searcher;
      this.metadata = metadata;
      this.store = store;
    }

    void run(String path, float[][] queries, int candidates) throws Exception {
      for (float[] q : queries) {
        switch (path) {
          case "raw" -> {
            TopDocs top =
                searcher.search(
                    new KnnFloatVectorQuery(metadata.vectorField(), q, candidates), TOP);
            sink += top.scoreDocs[0].doc;
          }
          case "knn" -> {
            try (StoreView view = store.view()) {
              sink += view.knn(q, candidates, ProductFilter.NONE).get(0).productHandle();
            }
          }
          case "page" -> {
            try (StoreView view = store.view()) {
              List<ProductMatch> matches = view.knn(q, candidates, ProductFilter.NONE);
              List<ProductMatch> page = new ArrayList<>(matches.subList(0, TOP));
              for (MatchedProduct loaded : view.load(page)) {
                sink += ProductJson.summary(loaded.json()).title().length();
              }
              FacetCounts facets =
                  view.facets(
                      matches.subList(0, Math.min(100, matches.size())),
                      List.of(FacetCounts.CATEGORY, FacetCounts.BRAND),
                      100);
              sink += facets.get(FacetCounts.BRAND).size();
            }
          }
          default -> throw new IllegalArgumentException("unknown path " + path);
        }
      }
    }
  }

  private QueryPathBench() {}
}
