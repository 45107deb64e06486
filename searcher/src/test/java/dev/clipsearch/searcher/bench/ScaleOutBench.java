package dev.clipsearch.searcher.bench;

import dev.clipsearch.indexer.index.IndexSchema;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.index.search.LuceneSearchStore;
import dev.clipsearch.indexer.solr.LocalSolrCloud;
import dev.clipsearch.indexer.solr.SolrCloudClient;
import dev.clipsearch.indexer.solr.SolrCollectionSpec;
import dev.clipsearch.indexer.solr.SolrConfigSet;
import dev.clipsearch.indexer.solr.SolrModelIdentity;
import dev.clipsearch.indexer.solr.SolrNodes;
import dev.clipsearch.indexer.store.ProductFilter;
import dev.clipsearch.indexer.store.ProductMatch;
import dev.clipsearch.indexer.store.StoreView;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.image.PreprocessConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;

/**
 * The scale-out benchmark: the same seeded vectors and queries on the embedded Lucene index and on
 * a local SolrCloud of {@code --shards} nodes (one shard each, one replica), measured one after the
 * other in one run. Prints, for each store and number of knn candidates: recall@10 against exact
 * (brute-force) search, queries per second, p50 and p99 latency, plus how long each took to index.
 *
 * <p>The workload is {@code searcher/bench/hnsw-bench.sh}'s ({@link RandomVectors}): {@code --n}
 * clustered unit vectors (around {@code --clusters} random centres, spread 1), one image per
 * product, {@code --queries} queries from the same centres. Both stores are queried the way the
 * server queries them: products scored by their best image, the top 10 kept. Embedded: the store
 * seam's {@code knn} ({@link StoreView#knn}) with {@code candidates} products explored, on an index
 * built by {@link HnswRecallBench#build} (force-merged to one graph). Solr: {@link
 * SolrCloudClient#knn} with {@code topK=candidates} per shard, on a collection created as
 * clipsearch creates it ({@link SolrConfigSet}), fed in batches of {@code --batch} products and
 * committed once (Solr's own merge policy, no force-merge). One query at a time, one client thread;
 * every cell is run once to warm up, then measured.
 *
 * <pre>
 * ScaleOutBench --work DIR --runtime SOLR_LOCAL_TARGET [--n 100000] [--dim 512] [--queries 1000]
 *     [--clusters 1000] [--seed 42] [--m 16] [--beam 100] [--candidates 10,20,50,100]
 *     [--shards 2] [--heap 2g] [--batch 500] [--port 0]
 * </pre>
 */
public final class ScaleOutBench {

  private static final int TOP = HnswRecallBench.TOP;
  private static final String COLLECTION = "bench";
  private static final int WARM_UP = 100;

  private ScaleOutBench() {}

  /** The segments of each shard leader: {@code 12+14}. */
  private static String segments(List<SolrCloudClient.ShardIndex> shards) {
    return String.join(
        "+", shards.stream().map(shard -> Integer.toString(shard.segments())).toList());
  }

  /** One measured cell. */
  record Row(String store, int candidates, double recall, double qps, double p50, double p99) {}

  /** One query: the product numbers of the top {@link #TOP}. */
  @FunctionalInterface
  interface Search {
    int[] top(float[] query, int candidates) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = BenchArgs.parse(args);
    Path work = Path.of(BenchArgs.required(opts, "work"));
    Path runtime = Path.of(BenchArgs.required(opts, "runtime"));
    int n = Integer.parseInt(opts.getOrDefault("n", "100000"));
    int dim = Integer.parseInt(opts.getOrDefault("dim", "512"));
    int queryCount = Integer.parseInt(opts.getOrDefault("queries", "1000"));
    int clusters = Integer.parseInt(opts.getOrDefault("clusters", "1000"));
    long seed = Long.parseLong(opts.getOrDefault("seed", "42"));
    int m = Integer.parseInt(opts.getOrDefault("m", "16"));
    int beam = Integer.parseInt(opts.getOrDefault("beam", "100"));
    int shards = Integer.parseInt(opts.getOrDefault("shards", "2"));
    String heap = opts.getOrDefault("heap", "2g");
    int batch = Integer.parseInt(opts.getOrDefault("batch", "500"));
    int port = Integer.parseInt(opts.getOrDefault("port", "0"));
    // "HARD,SOFT" automatic commit intervals in ms for the collection, e.g. 15000,2000 (the config
    // set's former defaults); absent: the config set's own
    String autoCommits = opts.get("solr-commits");
    boolean merge = Boolean.parseBoolean(opts.getOrDefault("merge", "false"));
    int[] candidates =
        Arrays.stream(opts.getOrDefault("candidates", "10,20,50,100").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();

    System.out.printf(
        Locale.ROOT,
        "scale-out: %d x %d clustered unit vectors (%d centres, spread 1, seed %d), one image per"
            + " product, %d queries (seed %d), HNSW m=%d beam=%d; %d cores, load average %.2f,"
            + " Java %s%n",
        n,
        dim,
        clusters,
        seed,
        queryCount,
        seed + 1,
        m,
        beam,
        Runtime.getRuntime().availableProcessors(),
        loadAverage(),
        Runtime.version());
    float[][] base = RandomVectors.clustered(n, dim, seed, clusters, seed + 2, 1.0);
    float[][] queries = RandomVectors.clustered(queryCount, dim, seed + 1, clusters, seed + 2, 1.0);
    long t0 = System.nanoTime();
    int[][] exact = HnswRecallBench.exactTopK(base, queries);
    System.out.printf(
        Locale.ROOT,
        "exact search (brute force, all cores): %.1f queries/s%n",
        queryCount / ((System.nanoTime() - t0) / 1e9));

    List<Row> rows = new ArrayList<>();
    Map<String, String> indexing = new LinkedHashMap<>();
    ModelSpec spec = new ModelSpec("bench-random-" + dim, dim, 77, PreprocessConfig.CLIP, 100f);

    // Embedded first, alone on the machine.
    Path indexDir =
        work.resolve("embedded-n" + n + "-d" + dim + "-c" + clusters + "-m" + m + "-b" + beam);
    if (!Files.isDirectory(indexDir) || !DirectoryReader.indexExists(FSDirectory.open(indexDir))) {
      deleteTree(indexDir);
      long start = System.nanoTime();
      HnswRecallBench.build(
          indexDir,
          spec,
          new IndexSettings(m, beam, IndexSettings.DEFAULTS.quantization(), 0),
          base,
          1,
          512);
      indexing.put(
          "embedded",
          String.format(
              Locale.ROOT,
              "%.1f s (one writer thread, then force-merged to one segment)",
              (System.nanoTime() - start) / 1e9));
    } else {
      indexing.put("embedded", "reused from an earlier run in " + indexDir);
    }
    try (LuceneSearchStore store =
        LuceneSearchStore.open(indexDir, spec, false, Duration.ofSeconds(60))) {
      rows.addAll(
          measure(
              "embedded (1 index)",
              candidates,
              queries,
              exact,
              (q, c) -> {
                try (StoreView view = store.view()) {
                  return productNumbers(
                      view.knn(q, c, ProductFilter.NONE).stream()
                          .map(ProductMatch::productId)
                          .toList());
                }
              }));
    }

    // Then SolrCloud: the nodes start only now, so they do not share the cores with the above.
    int firstPort = port > 0 ? port : freePortRange(shards + 1);
    Path solrDir = work.resolve("solr-" + System.currentTimeMillis());
    long startCluster = System.nanoTime();
    try (LocalSolrCloud cloud =
            LocalSolrCloud.start(
                new LocalSolrCloud.Config(
                    shards,
                    firstPort,
                    firstPort + shards,
                    solrDir,
                    runtime,
                    Duration.ofMinutes(6),
                    heap));
        SolrCloudClient client =
            new SolrCloudClient(
                SolrNodes.parse(cloud.solrUrls()), Duration.ofSeconds(5), Duration.ofMinutes(10))) {
      System.out.printf(
          Locale.ROOT,
          "local SolrCloud: %d nodes of %s heap up in %.1f s%n",
          shards,
          heap,
          (System.nanoTime() - startCluster) / 1e9);
      SolrCollectionSpec collection =
          new SolrCollectionSpec(
              COLLECTION, shards, 1, new SolrModelIdentity(spec.id(), dim, "bench"), m, beam);
      client.ensureCollection(collection);
      if (autoCommits != null) {
        String[] ms = autoCommits.split(",");
        client.setAutoCommits(COLLECTION, Integer.parseInt(ms[0]), Integer.parseInt(ms[1]));
      }
      System.out.printf(
          Locale.ROOT,
          "automatic commits (hard, soft): %s%n",
          autoCommits != null ? autoCommits + " ms" : "the config set's defaults");
      String field = collection.vectorField();
      long feedStart = System.nanoTime();
      for (int from = 0; from < n; from += batch) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = from; i < Math.min(n, from + batch); i++) {
          docs.add(solrProduct(i, field, base[i]));
        }
        client.add(COLLECTION, docs);
      }
      double fed = (System.nanoTime() - feedStart) / 1e9;
      long commitStart = System.nanoTime();
      client.commit(COLLECTION);
      double committed = (System.nanoTime() - commitStart) / 1e9;
      long count = client.countProducts(COLLECTION);
      if (count != n) {
        throw new IllegalStateException("Solr holds " + count + " products, expected " + n);
      }
      String segments = segments(client.shardIndexes(COLLECTION));
      System.out.printf(Locale.ROOT, "segments per shard after the feed: %s%n", segments);
      indexing.put(
          "solr",
          String.format(
              Locale.ROOT,
              "%.1f s (%.1f s adds in batches of %d + %.1f s for the one commit; %.0f products/s)",
              fed + committed,
              fed,
              batch,
              committed,
              n / (fed + committed)));
      Search solrKnn =
          (q, c) ->
              productNumbers(
                  client.knn(COLLECTION, field, q, TOP, c, List.of()).stream()
                      .map(SolrCloudClient.Hit::id)
                      .toList());
      rows.addAll(
          measure(
              "SolrCloud (" + shards + " shards, segments " + segments + ")",
              candidates,
              queries,
              exact,
              solrKnn));
      if (merge) {
        // the same collection again, merged to one segment per shard
        long mergeStart = System.nanoTime();
        client.merge(COLLECTION, 1, Duration.ofHours(2));
        double merged = (System.nanoTime() - mergeStart) / 1e9;
        segments = segments(client.shardIndexes(COLLECTION));
        System.out.printf(
            Locale.ROOT, "merged to one segment per shard in %.1f s: %s%n", merged, segments);
        indexing.put("solr merge", String.format(Locale.ROOT, "%.1f s", merged));
        rows.addAll(
            measure(
                "SolrCloud (" + shards + " shards, merged, segments " + segments + ")",
                candidates,
                queries,
                exact,
                solrKnn));
      }
    } finally {
      deleteTree(solrDir);
    }

    System.out.println();
    indexing.forEach(
        (store, text) -> System.out.printf(Locale.ROOT, "indexing, %s: %s%n", store, text));
    System.out.printf(Locale.ROOT, "load average at the end: %.2f%n", loadAverage());
    System.out.println();
    System.out.println(
        "| store | candidates (Solr topK per shard) | recall@10 | queries/s | p50 ms | p99 ms |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    for (Row r : rows) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %d | %.3f | %.1f | %.2f | %.2f |%n",
          r.store(),
          r.candidates(),
          r.recall(),
          r.qps(),
          r.p50(),
          r.p99());
    }
  }

  /** Warms every cell up once, then measures each. */
  private static List<Row> measure(
      String store, int[] candidates, float[][] queries, int[][] exact, Search search)
      throws Exception {
    float[][] warmUp = Arrays.copyOf(queries, Math.min(queries.length, WARM_UP));
    for (int c : candidates) {
      run(warmUp, c, search);
    }
    List<Row> rows = new ArrayList<>();
    for (int c : candidates) {
      long start = System.nanoTime();
      Timed timed = run(queries, c, search);
      double seconds = (System.nanoTime() - start) / 1e9;
      double[] sorted = timed.millis.clone();
      Arrays.sort(sorted);
      Row row =
          new Row(
              store,
              c,
              HnswRecallBench.recall(timed.found, exact),
              queries.length / seconds,
              percentile(sorted, 0.50),
              percentile(sorted, 0.99));
      System.out.printf(
          Locale.ROOT,
          "%s, candidates %d: recall@10 %.3f, %.1f queries/s, p50 %.2f ms, p99 %.2f ms%n",
          row.store(),
          row.candidates(),
          row.recall(),
          row.qps(),
          row.p50(),
          row.p99());
      rows.add(row);
    }
    return rows;
  }

  private record Timed(int[][] found, double[] millis) {}

  private static Timed run(float[][] queries, int candidates, Search search) throws Exception {
    int[][] found = new int[queries.length][];
    double[] millis = new double[queries.length];
    for (int q = 0; q < queries.length; q++) {
      long s = System.nanoTime();
      found[q] = search.top(queries[q], Math.max(TOP, candidates));
      millis[q] = (System.nanoTime() - s) / 1e6;
    }
    return new Timed(found, millis);
  }

  /** The nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** Product ids {@code pN} as vector numbers N, at most {@link #TOP}. */
  private static int[] productNumbers(List<String> ids) {
    return ids.stream()
        .limit(TOP)
        .mapToInt(id -> Integer.parseInt(id.substring("p".length())))
        .toArray();
  }

  /** Product {@code i} as clipsearch writes it to Solr: a product block with one image child. */
  private static Map<String, Object> solrProduct(int i, String field, float[] vector) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put(IndexSchema.ID, "p" + i);
    doc.put(IndexSchema.KIND, IndexSchema.KIND_PRODUCT);
    doc.put(IndexSchema.TITLE, "product " + i);
    doc.put(IndexSchema.BRAND, "brand" + (i % 50));
    doc.put(IndexSchema.PRODUCT_JSON, "{\"id\":\"p" + i + "\"}");
    Map<String, Object> image = new LinkedHashMap<>();
    image.put(IndexSchema.ID, "p" + i + "/0");
    image.put(IndexSchema.KIND, IndexSchema.KIND_IMAGE);
    image.put(IndexSchema.IMAGE_INDEX, 0);
    image.put(field, vector);
    doc.put(SolrConfigSet.IMAGES, List.of(image));
    return doc;
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** A first port P with P..P+count-1 free right now, from 18983 up. */
  private static int freePortRange(int count) throws IOException {
    for (int base = 18983; base < 30000; base += count) {
      boolean free = true;
      for (int p = base; p < base + count && free; p++) {
        try (ServerSocket s = new ServerSocket()) {
          s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IOException("no " + count + " free consecutive ports in 18983..29999");
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
