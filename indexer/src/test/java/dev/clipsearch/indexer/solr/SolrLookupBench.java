package dev.clipsearch.indexer.solr;

import static dev.clipsearch.indexer.testing.IndexedProducts.indexed;
import static dev.clipsearch.models.testing.TestProducts.product;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.indexer.index.IndexSchema;
import dev.clipsearch.indexer.store.StoredProduct;
import dev.clipsearch.models.testing.FakeClipModel;
import dev.clipsearch.models.testing.TestProducts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * How fast the incremental planner's lookups by id run against a collection: the same {@code --n}
 * stored products looked up by {@code --threads} threads (the fetch stage's 8 by default), once
 * with one {@code /select} per id (what {@link SolrSnapshot#find} did before it batched) and once
 * through {@link SolrSnapshot#find} (ids asked for meanwhile go together in one {@code {!terms}}
 * request). Prints lookups/s and requests for each, three rounds each, alternating, and the load
 * average. A benchmark, not a test: run it with {@code indexer/bench/lookup-bench.sh}.
 *
 * <pre>SolrLookupBench [--n 3000] [--threads 8] [--shards 2]</pre>
 */
public final class SolrLookupBench {

  private SolrLookupBench() {}

  public static void main(String[] args) throws Exception {
    int n = 3000;
    int threads = 8;
    int shards = 2;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--n" -> n = Integer.parseInt(args[i + 1]);
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        case "--shards" -> shards = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("solr-lookup-bench");
    FakeClipModel model = new FakeClipModel();
    System.out.printf(Locale.ROOT, "load average at the start: %s%n", loadAverage());
    long t0 = System.nanoTime();
    try (LocalSolrCloud cloud = SolrTestSupport.start(shards, dir.resolve("solr"));
        SolrCloudClient client = new SolrCloudClient(SolrNodes.parse(cloud.solrUrls()))) {
      System.out.printf(
          Locale.ROOT, "%d Solr node(s) up in %.1f s%n", shards, (System.nanoTime() - t0) / 1e9);
      SolrCollectionSpec spec =
          SolrCollectionSpec.withDefaults("lookups", shards, 1, SolrModelIdentity.of(model.spec()));
      List<String> ids = new ArrayList<>();
      Random random = new Random(42);
      long feed = System.nanoTime();
      try (SolrCatalogStore store = SolrCatalogStore.open(client, spec, model.spec())) {
        for (int i = 0; i < n; i++) {
          String id = String.format(Locale.ROOT, "sku-%06d", i);
          ids.add(id);
          store.upsert(
              indexed(
                  product(id, "Home > Lamps"),
                  TestProducts.unitVector(random, model.spec().dimension())));
        }
        store.commit("complete");
      }
      System.out.printf(
          Locale.ROOT, "%d products stored in %.1f s%n", n, (System.nanoTime() - feed) / 1e9);
      System.out.println();
      System.out.println("| lookups | threads | round | requests | seconds | lookups/s |");
      System.out.println("|---|---:|---:|---:|---:|---:|");
      for (int round = 1; round <= 3; round++) {
        AtomicLong requests = new AtomicLong();
        run(
            "one request per id",
            threads,
            round,
            ids,
            requests::get,
            id -> {
              requests.incrementAndGet();
              JsonNode doc = SolrQueries.product(client, "lookups", id, FIELDS);
              return doc == null ? null : doc.path(IndexSchema.ID).asText();
            });
        SolrSnapshot snapshot = new SolrSnapshot(client, "lookups");
        run(
            "batched (SolrSnapshot.find)",
            threads,
            round,
            ids,
            snapshot::requests,
            id -> {
              StoredProduct p = snapshot.find(id);
              return p == null ? null : p.id();
            });
      }
    } finally {
      System.out.printf(Locale.ROOT, "load average at the end: %s%n", loadAverage());
      deleteTree(dir);
    }
  }

  private static final String FIELDS =
      String.join(
          ",",
          IndexSchema.ID,
          IndexSchema.SYNC_KEY,
          IndexSchema.FAILED_IMAGES,
          IndexSchema.CONTENT_HASH,
          IndexSchema.ATTRIBUTES_JSON,
          IndexSchema.IMAGE_ERRORS);

  @FunctionalInterface
  private interface Lookup {
    String find(String id) throws IOException;
  }

  /** Looks every id up from {@code threads} threads taking ids from one counter; prints a row. */
  private static void run(
      String name, int threads, int round, List<String> ids, LongSupplier requests, Lookup lookup)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    long startRequests = requests.getAsLong();
    List<Future<Integer>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(
          pool.submit(
              () -> {
                int found = 0;
                for (int i = next.getAndIncrement(); i < ids.size(); i = next.getAndIncrement()) {
                  String id = ids.get(i);
                  if (!id.equals(lookup.find(id))) {
                    throw new IllegalStateException(name + ": " + id + " not found");
                  }
                  found++;
                }
                return found;
              }));
    }
    int found = 0;
    for (Future<Integer> f : done) {
      found += f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    long sent = requests.getAsLong() - startRequests;
    System.out.printf(
        Locale.ROOT,
        "| %s | %d | %d | %d | %.2f | %.0f |%n",
        name,
        threads,
        round,
        sent,
        seconds,
        found / seconds);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
