package dev.clipsearch.searcher.bench;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.indexer.bench.HnswBuildBench;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexMetadata;
import dev.clipsearch.indexer.index.IndexQueries;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.index.Quantization;
import dev.clipsearch.indexer.index.search.LuceneSearchStore;
import dev.clipsearch.indexer.index.search.RescoringKnn;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.indexer.store.ProductFilter;
import dev.clipsearch.indexer.store.ProductMatch;
import dev.clipsearch.indexer.store.SearchStore;
import dev.clipsearch.indexer.store.StoreView;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.image.PreprocessConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
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
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
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
 * Recall@10 of HNSW search against exact search, and queries per second, on seeded random unit
 * vectors, for Lucene's graph, clipsearch's query path and (with {@code --hnswlib BIN}) hnswlib
 * compiled natively, all in one run on the same vector files. Builds (once per quantization) a
 * clipsearch index with one product per vector, force-merged to one segment so that one graph is
 * searched, as hnswlib searches one graph. Query paths:
 *
 * <ul>
 *   <li>{@code hnsw}: Lucene's plain {@code KnnFloatVectorQuery} over the image vectors (on a
 *       quantized index asking for {@code candidates × oversample}, rescored on the float vectors)
 *   <li>{@code searcher}: the server's Lucene query ({@link RescoringKnn}: the block-join
 *       diversifying query, rescored when quantized) plus the lookup of each hit's product
 *   <li>{@code store}: what the server runs, {@code SearchStore} KNN on a per-query view (the query
 *       above at the index's own oversampling, product ids from doc values, ties by id)
 * </ul>
 *
 * <p>Method, the same for every cell and for hnswlib: the index files are read once (page cache
 * warm); passes over all queries repeat until two successive passes differ by less than 3% in
 * queries/s (at most 10 passes), then {@code --reps} timed passes give the median and the min–max.
 * {@code k} stays 10; {@code candidates} is Lucene's {@code k} for the graph search (hnswlib's
 * {@code ef}), of which the best 10 are kept. See {@code searcher/bench/hnsw-bench.sh}.
 *
 * <pre>
 * HnswRecallBench --work DIR [--n 100000] [--dim 512] [--queries 1000] [--seed 42]
 *     [--candidates 10,20,40,80,160] [--threads 1] [--m 16] [--beam 100] [--clusters 0]
 *     [--formats none,int8,int4,binary] [--oversample 1] [--paths hnsw,store] [--reps 5]
 *     [--hnswlib BIN] [--writers 1] [--ram-buffer-mb 512]
 * </pre>
 *
 * <p>{@code --ram-buffer-mb} is the index writer's buffer while building: a larger one (at most
 * 1945) flushes fewer, larger segments, so the final force-merge re-inserts fewer vectors into the
 * merged graph (what dominates a build of a million vectors).
 */
public final class HnswRecallBench {

  static final int TOP = 10;
  static final double SETTLED = 0.03;
  static final int MAX_WARMUP_PASSES = 10;

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
    int reps = Integer.parseInt(opts.getOrDefault("reps", "5"));
    int[] candidates = ints(opts.getOrDefault("candidates", "10,20,40,80,160"));
    int[] oversamples = ints(opts.getOrDefault("oversample", "1"));
    List<Quantization> formats =
        Arrays.stream(opts.getOrDefault("formats", "none").split(","))
            .map(Quantization::fromCode)
            .toList();
    List<String> paths = List.of(opts.getOrDefault("paths", "hnsw,store").split(","));
    for (String path : paths) {
      if (!List.of("hnsw", "searcher", "store").contains(path)) {
        throw new IllegalArgumentException(
            "unknown path \"" + path + "\" (expected hnsw, searcher or store)");
      }
    }
    String hnswlib = opts.get("hnswlib");
    int writers = Integer.parseInt(opts.getOrDefault("writers", "1"));
    double ramBufferMb = Double.parseDouble(opts.getOrDefault("ram-buffer-mb", "512"));

    System.out.printf(
        Locale.ROOT,
        "HNSW recall@%d: %d x %d %s unit vectors (seed %d), %d queries (seed %d), m=%d beam=%d,"
            + " %d search thread(s), %d cores%n",
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
    System.out.printf(
        Locale.ROOT,
        "method: passes over all %d queries until two in a row differ by < %.0f%% in q/s (at most"
            + " %d), then %d timed passes: median q/s and min-max%n",
        queryCount,
        SETTLED * 100,
        MAX_WARMUP_PASSES,
        reps);
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

    ModelSpec spec = new ModelSpec("bench-random-" + dim, dim, 77, PreprocessConfig.CLIP, 100f);
    for (Quantization format : formats) {
      Path indexDir = indexDir(work, m, beam, format);
      if (!Files.isDirectory(indexDir)) {
        build(
            indexDir,
            spec,
            IndexSettings.DEFAULTS.withHnsw(m, beam).withQuantization(format),
            base,
            writers,
            ramBufferMb);
      }
    }

    long t0 = System.nanoTime();
    int[][] exact = exactTopK(base, queries);
    System.out.printf(
        Locale.ROOT,
        "exact search (brute force, all cores): %.1f queries/s%n",
        queryCount / ((System.nanoTime() - t0) / 1e9));

    List<Row> rows = new ArrayList<>();
    for (Quantization format : formats) {
      Path indexDir = indexDir(work, m, beam, format);
      warmPageCache(indexDir);
      try (Directory dir = FSDirectory.open(indexDir);
          DirectoryReader reader = DirectoryReader.open(dir);
          SearchStore store =
              LuceneSearchStore.open(indexDir, spec, false, Duration.ofSeconds(60))) {
        IndexMetadata metadata = CatalogIndex.readMetadata(indexDir);
        IndexSearcher searcher = new IndexSearcher(reader);
        int[] productOfDoc = productNumbers(reader);
        if (reader.leaves().size() != 1) {
          System.out.printf(
              Locale.ROOT, "note: %s has %d segments%n", indexDir, reader.leaves().size());
        }
        for (String path : paths) {
          int[] factors =
              format == Quantization.NONE || path.equals("store")
                  ? new int[] {format.oversample()}
                  : oversamples;
          for (int c : candidates) {
            for (int os : factors) {
              Cell cell =
                  new Cell(
                      searcher,
                      store,
                      metadata,
                      queries,
                      Math.max(c, TOP),
                      os,
                      path,
                      productOfDoc,
                      threads);
              Row row = measure(cell, exact, reps, path, format.code());
              rows.add(row);
              System.out.println(row.line());
            }
          }
        }
      }
    }
    if (hnswlib != null) {
      rows.addAll(runHnswlib(hnswlib, work, dim, m, beam, candidates, reps));
    }
    printTables(rows);
  }

  private static int[] ints(String list) {
    return Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  static Path indexDir(Path work, int m, int beam, Quantization format) {
    return work.resolve(
        "index-m" + m + "-b" + beam + (format == Quantization.NONE ? "" : "-" + format.code()));
  }

  /** One measured setting: engine/path, quantization, candidates, oversample, results. */
  record Row(
      String path,
      String format,
      int candidates,
      int oversample,
      double recall,
      double medianQps,
      double minQps,
      double maxQps,
      double p50Millis,
      int warmupPasses) {

    String line() {
      return String.format(
          Locale.ROOT,
          "%-9s %-7s %6d %4d %8.4f %10.1f %10.1f %10.1f %8.3f %4d",
          path,
          format,
          candidates,
          oversample,
          recall,
          medianQps,
          minQps,
          maxQps,
          p50Millis,
          warmupPasses);
    }
  }

  record Pass(int[][] found, double seconds, double[] millis) {}

  record Cell(
      IndexSearcher searcher,
      SearchStore store,
      IndexMetadata metadata,
      float[][] queries,
      int candidates,
      int oversample,
      String path,
      int[] productOfDoc,
      int threads) {}

  /** Warm-up passes until the rate settles, then {@code reps} timed passes. */
  static Row measure(Cell cell, int[][] exact, int reps, String path, String format)
      throws Exception {
    int n = cell.queries().length;
    double last = n / run(cell).seconds();
    int warmup = 1;
    while (warmup < MAX_WARMUP_PASSES) {
      double now = n / run(cell).seconds();
      warmup++;
      boolean settled = Math.abs(now - last) < SETTLED * last;
      last = now;
      if (settled) {
        break;
      }
    }
    double[] rates = new double[reps];
    double[] millis = new double[reps * n];
    int[][] found = null;
    for (int r = 0; r < reps; r++) {
      Pass pass = run(cell);
      rates[r] = n / pass.seconds();
      System.arraycopy(pass.millis(), 0, millis, r * n, n);
      found = pass.found();
    }
    Arrays.sort(rates);
    Arrays.sort(millis);
    return new Row(
        path,
        format,
        cell.candidates(),
        cell.oversample(),
        recall(found, exact),
        rates[reps / 2],
        rates[0],
        rates[reps - 1],
        millis[millis.length / 2],
        warmup);
  }

  private static Pass run(Cell cell) throws Exception {
    float[][] queries = cell.queries();
    int threads = cell.threads();
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
                    found[q] = search(cell, queries[q]);
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
    return new Pass(found, (System.nanoTime() - start) / 1e9, millis);
  }

  private static int[] search(Cell cell, float[] vector) throws IOException {
    if (cell.path().equals("store")) {
      return storeKnn(cell.store(), vector, cell.candidates());
    }
    IndexMetadata metadata = cell.metadata();
    boolean raw = cell.path().equals("hnsw");
    Query query =
        raw
            ? RescoringKnn.rescore(
                metadata,
                new KnnFloatVectorQuery(
                    metadata.vectorField(), vector, cell.candidates() * cell.oversample()),
                vector,
                cell.candidates())
            : RescoringKnn.query(metadata, vector, cell.candidates(), null, cell.oversample());
    IndexSearcher searcher = cell.searcher();
    TopDocs top = searcher.search(query, TOP);
    int[] ids = new int[top.scoreDocs.length];
    for (int i = 0; i < ids.length; i++) {
      ScoreDoc hit = top.scoreDocs[i];
      int doc = raw ? hit.doc : IndexQueries.productDoc(searcher.getIndexReader(), hit.doc) - 1;
      ids[i] = cell.productOfDoc()[doc];
    }
    return ids;
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

  /** Reads every file of the index once, so that the page cache holds it before timing. */
  static void warmPageCache(Path indexDir) throws IOException {
    long start = System.nanoTime();
    long bytes = 0;
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    try (Stream<Path> files = Files.list(indexDir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        try (FileChannel channel = FileChannel.open(file)) {
          int read;
          while ((read = channel.read(buffer.clear())) > 0) {
            bytes += read;
          }
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "page cache: read every file of %s once (%.0f MB in %.1f s) before timing%n",
        indexDir.getFileName(),
        bytes / 1e6,
        (System.nanoTime() - start) / 1e9);
  }

  /** Runs the native peer on the same vector files and parses its tab-separated rows. */
  private static List<Row> runHnswlib(
      String binary, Path work, int dim, int m, int beam, int[] candidates, int reps)
      throws IOException, InterruptedException {
    String list = String.join(",", Arrays.stream(candidates).mapToObj(Integer::toString).toList());
    Process process =
        new ProcessBuilder(
                binary,
                work.toString(),
                Integer.toString(dim),
                Integer.toString(m),
                Integer.toString(beam),
                list,
                Integer.toString(reps))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    List<Row> rows = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("#")) {
          System.out.println(line.substring(1).strip());
          continue;
        }
        String[] f = line.split("\t");
        Row row =
            new Row(
                f[0],
                f[1],
                Integer.parseInt(f[2]),
                Integer.parseInt(f[3]),
                Double.parseDouble(f[4]),
                Double.parseDouble(f[5]),
                Double.parseDouble(f[6]),
                Double.parseDouble(f[7]),
                Double.parseDouble(f[8]),
                Integer.parseInt(f[9]));
        rows.add(row);
        System.out.println(row.line());
      }
    } finally {
      if (!process.waitFor(1, TimeUnit.HOURS)) {
        process.destroyForcibly();
      }
    }
    if (process.exitValue() != 0) {
      throw new IOException(binary + " exited with " + process.exitValue());
    }
    return rows;
  }

  private static void printTables(List<Row> rows) {
    System.out.println();
    System.out.println(
        "| engine / path | quantization | candidates | oversample | recall@10 | q/s median |"
            + " q/s min-max | p50 ms |");
    System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (Row r : rows) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %d | %d | %.4f | %,.0f | %,.0f-%,.0f | %.3f |%n",
          label(r.path()),
          r.format(),
          r.candidates(),
          r.oversample(),
          r.recall(),
          r.medianQps(),
          r.minQps(),
          r.maxQps(),
          r.p50Millis());
    }
    System.out.println();
    System.out.println("Best median q/s reaching each recall@10 (the setting in brackets):");
    System.out.println();
    System.out.println("| engine / path | quantization | recall@10 >= 0.95 | recall@10 >= 0.99 |");
    System.out.println("| --- | --- | ---: | ---: |");
    rows.stream()
        .map(r -> List.of(r.path(), r.format()))
        .distinct()
        .forEach(
            key ->
                System.out.printf(
                    Locale.ROOT,
                    "| %s | %s | %s | %s |%n",
                    label(key.get(0)),
                    key.get(1),
                    best(rows, key, 0.95),
                    best(rows, key, 0.99)));
  }

  private static String best(List<Row> rows, List<String> key, double recall) {
    return rows.stream()
        .filter(r -> r.path().equals(key.get(0)) && r.format().equals(key.get(1)))
        .filter(r -> r.recall() >= recall)
        .max((a, b) -> Double.compare(a.medianQps(), b.medianQps()))
        .map(
            r ->
                String.format(
                    Locale.ROOT,
                    "%,.0f (%.3f; %d x %d)",
                    r.medianQps(),
                    r.recall(),
                    r.candidates(),
                    r.oversample()))
        .orElse("not reached");
  }

  private static String label(String path) {
    return switch (path) {
      case "hnswlib" -> "hnswlib native";
      case "hnsw" -> "Lucene HNSW (raw)";
      case "searcher" -> "Lucene server query";
      case "store" -> "clipsearch query path";
      default -> path;
    };
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

  static int[][] exactTopK(float[][] base, float[][] queries) {
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

  /**
   * Builds the index in a sibling directory with {@code writers} threads adding products at once
   * (one Lucene segment, and one graph built, per thread), commits, force-merges to one segment
   * (the merged graph built by every core) and moves it into place, so that an interrupted build is
   * never mistaken for a finished one.
   */
  static void build(
      Path dir,
      ModelSpec spec,
      IndexSettings settings,
      float[][] base,
      int writers,
      double ramBufferMb)
      throws Exception {
    Path building = dir.resolveSibling(dir.getFileName() + ".building");
    if (Files.exists(building)) {
      try (Stream<Path> files = Files.list(building)) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
      }
    }
    long start = System.nanoTime();
    double built;
    long mergeStart;
    try (CatalogIndex index =
        CatalogIndex.openOrCreate(building, spec, settings, ramBufferMb, Clock.systemUTC())) {
      HnswBuildBench.addAll(index, base.length, writers, i -> benchProduct(i, base[i]));
      index.commit("bench build");
      built = (System.nanoTime() - start) / 1e9;
      mergeStart = System.nanoTime();
      index.forceMerge(1);
      index.commit("bench build");
    }
    double merged = (System.nanoTime() - mergeStart) / 1e9;
    Files.move(building, dir);
    System.out.printf(
        Locale.ROOT,
        "built %s: %d products in %.1f s with %d writer thread(s) and a %.0f MB buffer (%.0f"
            + " products/s, HNSW built"
            + " while indexing), force-merged to one segment in %.1f s: %.0f products/s end to"
            + " end, %.0f per core (%d cores)%n",
        dir.getFileName(),
        base.length,
        built,
        writers,
        ramBufferMb,
        base.length / built,
        merged,
        base.length / (built + merged),
        base.length / (built + merged) / Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().availableProcessors());
  }

  private static IndexedProduct benchProduct(int i, float[] vector) {
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
    IndexedImage image = new IndexedImage(0, "v" + i, "v" + i, "v" + i, vector, 1, 1, null);
    return new IndexedProduct(
        product, ProductJson.canonical(product), new byte[32], "bench", List.of(image), List.of());
  }
}
