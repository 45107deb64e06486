package dev.clipsearch.indexer.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.clipsearch.indexer.fetch.FetchConfig;
import dev.clipsearch.indexer.fetch.ImageFetcher;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.index.IndexSnapshot;
import dev.clipsearch.indexer.index.IndexStats;
import dev.clipsearch.indexer.report.FailureReason;
import dev.clipsearch.indexer.report.JsonReportWriter;
import dev.clipsearch.indexer.report.ProductFailure;
import dev.clipsearch.indexer.store.CatalogStore;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.indexer.store.StoreMetadata;
import dev.clipsearch.indexer.store.StoreSnapshot;
import dev.clipsearch.indexer.store.StoredProduct;
import dev.clipsearch.indexer.testing.CatalogFixture;
import dev.clipsearch.indexer.testing.SimpleImageProcessor;
import dev.clipsearch.models.testing.FakeClipModel;
import dev.clipsearch.models.testing.TestImages;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class BulkIndexerTest {

  @TempDir Path tmp;

  private CatalogFixture catalog;
  private Path indexDir;
  private FakeClipModel model;
  private SimpleImageProcessor processor;
  private final List<ProductFailure> failures = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void setUp() {
    catalog = new CatalogFixture(tmp.resolve("catalog"));
    indexDir = tmp.resolve("index");
    model = FakeClipModel.projecting();
    processor = new SimpleImageProcessor(model.spec().preprocess(), 32);
  }

  private IndexingConfig config() {
    return IndexingConfig.defaults(catalog.catalog())
        .withBatchSize(4)
        .withThreads(2, 2)
        .withWriteThreads(3)
        .withCommits(7, Duration.ofSeconds(30))
        .withProgressInterval(Duration.ofMillis(50));
  }

  private IndexingResult run(IndexingConfig config) throws Exception {
    failures.clear();
    try (CatalogIndex index =
            CatalogIndex.openOrCreate(
                indexDir, model.spec(), IndexSettings.DEFAULTS.withThumbnailSize(32));
        ImageFetcher fetcher = new ImageFetcher(FetchConfig.DEFAULTS)) {
      return new BulkIndexer(
              config, index, model, fetcher, processor, ProgressListener.NONE, failures::add)
          .run();
    }
  }

  private StoredProduct stored(IndexSnapshot snapshot, String id) throws IOException {
    StoredProduct product = snapshot.find(id);
    assertNotNull(product, id);
    return product;
  }

  private <T> T withSnapshot(SnapshotFunction<T> function) throws Exception {
    try (CatalogIndex index = CatalogIndex.openExisting(indexDir);
        IndexSnapshot snapshot = index.snapshot()) {
      return function.apply(snapshot);
    }
  }

  private interface SnapshotFunction<T> {
    T apply(IndexSnapshot snapshot) throws Exception;
  }

  private int buildCatalog(int products) {
    int images = 0;
    for (int i = 0; i < products; i++) {
      int n = 1 + i % 3;
      catalog.add("p" + i, n, i);
      images += n;
    }
    catalog.write();
    return images;
  }

  @Test
  void indexes_every_product_with_all_its_images_and_thumbnails() throws Exception {
    int images = buildCatalog(20);
    IndexingResult result = run(config());
    assertEquals(IndexingResult.Outcome.COMPLETE, result.outcome());
    assertEquals(20, result.counts().added());
    assertEquals(0, result.counts().failed());
    assertEquals(images, result.images().encoded());
    assertEquals(images, model.imagesEncoded());
    IndexStats stats = CatalogIndex.stats(indexDir);
    assertEquals(20, stats.products());
    assertEquals(images, stats.images());
    assertEquals("complete", stats.lastRun());
    withSnapshot(
        snapshot -> {
          List<IndexedImage> p2 = stored(snapshot, "p2").images();
          assertEquals(3, p2.size());
          assertEquals("img/p2-1.png", p2.get(1).source());
          assertEquals(40, p2.get(1).width());
          byte[] thumbnail = p2.get(1).thumbnail();
          assertEquals((byte) 0xFF, thumbnail[0]);
          assertEquals((byte) 0xD8, thumbnail[1], "a JPEG");
          assertTrue(stored(snapshot, "p2").json().contains("\"brand\":\"Brand2\""));
          return null;
        });
  }

  @Test
  void several_writer_threads_store_exactly_what_one_writer_thread_stores() throws Exception {
    buildCatalog(60);
    Path oneWriter = tmp.resolve("one-writer");
    Path fourWriters = tmp.resolve("four-writers");
    indexDir = oneWriter;
    IndexingResult one = run(config().withWriteThreads(1).withCommits(5, Duration.ofSeconds(30)));
    indexDir = fourWriters;
    IndexingResult four = run(config().withWriteThreads(4).withCommits(5, Duration.ofSeconds(30)));
    assertEquals(60, one.counts().added());
    assertEquals(60, four.counts().added());
    assertEquals(CatalogIndex.stats(oneWriter).images(), CatalogIndex.stats(fourWriters).images());
    assertEquals(60, CatalogIndex.stats(fourWriters).products());
    assertEquals("complete", CatalogIndex.stats(fourWriters).lastRun());
    try (CatalogIndex a = CatalogIndex.openExisting(oneWriter);
        CatalogIndex b = CatalogIndex.openExisting(fourWriters);
        IndexSnapshot expected = a.snapshot();
        IndexSnapshot actual = b.snapshot()) {
      for (int i = 0; i < 60; i++) {
        StoredProduct want = stored(expected, "p" + i);
        StoredProduct got = stored(actual, "p" + i);
        assertEquals(want.json(), got.json(), "p" + i);
        assertTrue(got.hasSyncKey(want.syncKey()), "p" + i);
        assertEquals(want.images().size(), got.images().size(), "p" + i);
        for (int j = 0; j < want.images().size(); j++) {
          assertArrayEquals(
              want.images().get(j).vector(), got.images().get(j).vector(), "p" + i + " image " + j);
        }
      }
    }
    indexDir = fourWriters;
    IndexingResult rerun = run(config().withWriteThreads(4));
    assertEquals(60, rerun.counts().unchanged(), "a rerun finds every product written whole");
  }

  /** The embedded store, recording the merge waits and commits the pipeline asks for. */
  private static final class RecordingStore implements CatalogStore {
    final CatalogIndex index;
    final List<String> events = Collections.synchronizedList(new ArrayList<>());

    RecordingStore(CatalogIndex index) {
      this.index = index;
    }

    @Override
    public void awaitMerges() throws IOException {
      events.add("awaitMerges");
      index.awaitMerges();
    }

    @Override
    public void commit(String runState) throws IOException {
      events.add("commit " + runState);
      index.commit(runState);
    }

    @Override
    public String location() {
      return index.location();
    }

    @Override
    public StoreMetadata metadata() {
      return index.metadata();
    }

    @Override
    public boolean created() {
      return index.created();
    }

    @Override
    public StoreSnapshot snapshot() throws IOException {
      return index.snapshot();
    }

    @Override
    public void upsert(IndexedProduct product) throws IOException {
      index.upsert(product);
    }

    @Override
    public List<String> delete(Collection<String> ids) throws IOException {
      return index.delete(ids);
    }

    @Override
    public void deleteUnchecked(String id) throws IOException {
      index.deleteUnchecked(id);
    }

    @Override
    public void rollback() throws IOException {
      index.rollback();
    }

    @Override
    public void close() throws IOException {
      index.close();
    }
  }

  private List<String> storeEvents(IndexingConfig config) throws Exception {
    try (RecordingStore store =
            new RecordingStore(
                CatalogIndex.openOrCreate(indexDir, model.spec(), IndexSettings.DEFAULTS));
        ImageFetcher fetcher = new ImageFetcher(FetchConfig.DEFAULTS)) {
      new BulkIndexer(
              config, store, model, fetcher, processor, ProgressListener.NONE, failures::add)
          .run();
      return List.copyOf(store.events);
    }
  }

  @Test
  void a_complete_run_waits_for_the_merges_before_its_last_commit_and_a_stopped_one_does_not()
      throws Exception {
    buildCatalog(12);
    List<String> complete = storeEvents(config().withCommits(2, Duration.ofSeconds(30)));
    assertEquals(
        List.of("awaitMerges", "commit complete"),
        complete.subList(complete.size() - 2, complete.size()));
    assertEquals(1, Collections.frequency(complete, "awaitMerges"), complete.toString());

    for (int i = 0; i < 300; i++) {
      catalog.addWithImages("bad" + i, "img/missing-" + i + ".png");
    }
    catalog.write();
    List<String> stopped = storeEvents(config().withMaxErrors(2));
    assertEquals("commit stopped", stopped.get(stopped.size() - 1));
    assertTrue(!stopped.contains("awaitMerges"), stopped.toString());
  }

  @Test
  void a_rerun_on_the_same_catalog_skips_everything_without_decoding_or_encoding()
      throws Exception {
    buildCatalog(12);
    run(config());
    long encoded = model.imagesEncoded();
    int decoded = processor.processed();
    IndexingResult second = run(config());
    assertEquals(12, second.counts().unchanged());
    assertEquals(0, second.counts().written());
    assertEquals(encoded, model.imagesEncoded());
    assertEquals(decoded, processor.processed());
  }

  @Test
  void a_changed_price_rewrites_the_product_reusing_its_vectors() throws Exception {
    buildCatalog(10);
    run(config());
    float[] before = withSnapshot(s -> stored(s, "p5").images().get(0).vector());
    catalog.get("p5").put("price", 999);
    catalog.write();
    long encoded = model.imagesEncoded();
    IndexingResult second = run(config());
    assertEquals(1, second.counts().updated());
    assertEquals(9, second.counts().unchanged());
    assertEquals(3, second.images().reused());
    assertEquals(encoded, model.imagesEncoded(), "no image was re-encoded");
    withSnapshot(
        snapshot -> {
          assertTrue(stored(snapshot, "p5").json().contains("\"price\":999"));
          assertArrayEquals(before, stored(snapshot, "p5").images().get(0).vector());
          return null;
        });
  }

  @Test
  void a_replaced_image_is_re_encoded_and_the_others_of_the_product_are_reused() throws Exception {
    buildCatalog(6);
    run(config());
    String oldHash = withSnapshot(s -> stored(s, "p2").contentHash());
    Files.write(catalog.dir().resolve("img/p2-1.png"), TestImages.png(777, 50, 20));
    long encoded = model.imagesEncoded();
    IndexingResult second = run(config());
    assertEquals(1, second.counts().updated());
    assertEquals(1, second.images().encoded());
    assertEquals(2, second.images().reused());
    assertEquals(encoded + 1, model.imagesEncoded());
    withSnapshot(
        snapshot -> {
          assertNotEquals(oldHash, stored(snapshot, "p2").contentHash());
          assertEquals(50, stored(snapshot, "p2").images().get(1).width());
          return null;
        });
  }

  @Test
  void a_touched_but_identical_file_is_rehashed_not_re_encoded() throws Exception {
    buildCatalog(3);
    run(config());
    String oldHash = withSnapshot(s -> stored(s, "p0").contentHash());
    Files.setLastModifiedTime(catalog.dir().resolve("img/p0-0.png"), FileTime.fromMillis(42_000));
    long encoded = model.imagesEncoded();
    IndexingResult second = run(config());
    assertEquals(
        1, second.counts().updated(), "the fingerprint changed, so the product is looked at");
    assertEquals(1, second.images().reused(), "the bytes did not, so the vector is reused");
    assertEquals(encoded, model.imagesEncoded());
    assertEquals(oldHash, withSnapshot(s -> stored(s, "p0").contentHash()));
    IndexingResult third = run(config());
    assertEquals(3, third.counts().unchanged(), "the new fingerprint was recorded");
  }

  @Test
  void rehash_detects_changed_bytes_behind_an_unchanged_size_and_mtime() throws Exception {
    buildCatalog(2);
    run(config());
    Path file = catalog.dir().resolve("img/p0-0.png");
    FileTime mtime = Files.getLastModifiedTime(file);
    byte[] bytes = Files.readAllBytes(file);
    byte[] other = TestImages.png(4242, 40, 30);
    // Same length, same mtime, other content: only --rehash can see it.
    byte[] sameLength = java.util.Arrays.copyOf(other, bytes.length);
    Files.write(file, sameLength);
    Files.setLastModifiedTime(file, mtime);
    assertEquals(2, run(config()).counts().unchanged());
    IndexingResult rehashed = run(config().withRehash(true));
    assertEquals(1, rehashed.counts().unchanged());
    assertTrue(
        rehashed.counts().updated() + rehashed.counts().failed() == 1,
        rehashed.summary().toString());
  }

  @Test
  void prune_deletes_products_that_left_the_catalog_and_nothing_else() throws Exception {
    buildCatalog(8);
    run(config());
    catalog.remove("p1");
    catalog.remove("p6");
    catalog.write();
    IndexingResult withoutPrune = run(config());
    assertEquals(0, withoutPrune.counts().pruned());
    assertEquals(8, CatalogIndex.stats(indexDir).products());
    IndexingResult pruned = run(config().withPrune(true));
    assertEquals(2, pruned.counts().pruned());
    assertEquals(6, CatalogIndex.stats(indexDir).products());
    withSnapshot(
        snapshot -> {
          assertNull(snapshot.find("p1"));
          assertNotNull(snapshot.find("p2"));
          return null;
        });
  }

  @Test
  void prune_keeps_products_whose_line_is_invalid_but_names_them() throws Exception {
    buildCatalog(3);
    run(config());
    catalog.get("p2").put("price", "not a number");
    catalog.write();
    IndexingResult result = run(config().withPrune(true));
    assertEquals(0, result.counts().pruned());
    assertEquals(1, result.failures().products().get(FailureReason.INVALID_FIELD));
    assertEquals(3, CatalogIndex.stats(indexDir).products());
  }

  @Test
  void broken_images_skip_their_product_with_a_reason_and_the_run_goes_on() throws Exception {
    catalog.add("good", 1, 1);
    catalog.addWithImages("missing", "img/nope.png");
    catalog.addWithImages("empty", catalog.writeFile("img/empty.png", new byte[0]));
    catalog.addWithImages("text", catalog.writeFile("img/text.png", "hello".getBytes()));
    byte[] png = TestImages.png(5, 40, 30);
    catalog.addWithImages(
        "truncated", catalog.writeFile("img/cut.png", java.util.Arrays.copyOf(png, 60)));
    catalog.addWithImages("ftp", "ftp://example.com/a.png");
    catalog.addWithImages("partial", catalog.writeFile("img/ok.png", png), "img/also-missing.png");
    catalog.addWithImages("none");
    catalog.addRawLine("{\"id\":\"good\",\"images\":\"img/good-0.png\"}");
    catalog.addRawLine("{broken json");
    catalog.write();
    Path reportFile = tmp.resolve("report.json");
    IndexingResult result;
    try (JsonReportWriter report =
        JsonReportWriter.create(reportFile, Map.of("catalog", catalog.catalog().toString()))) {
      try (CatalogIndex index =
              CatalogIndex.openOrCreate(indexDir, model.spec(), IndexSettings.DEFAULTS);
          ImageFetcher fetcher = new ImageFetcher(FetchConfig.DEFAULTS)) {
        result =
            new BulkIndexer(
                    config(),
                    index,
                    model,
                    fetcher,
                    processor,
                    ProgressListener.NONE,
                    report::write)
                .run();
      }
      report.finish(result.summary());
    }
    assertEquals(2, result.counts().written(), "good and partial");
    assertEquals(1, result.counts().partial());
    assertEquals(8, result.counts().failed());
    assertEquals(
        Map.of(
            FailureReason.NO_USABLE_IMAGE, 5L,
            FailureReason.NO_IMAGES, 1L,
            FailureReason.DUPLICATE_ID, 1L,
            FailureReason.MALFORMED_LINE, 1L),
        result.failures().products());
    assertEquals(2L, result.failures().images().get(FailureReason.FILE_NOT_FOUND));
    assertEquals(1L, result.failures().images().get(FailureReason.EMPTY_IMAGE));
    assertEquals(1L, result.failures().images().get(FailureReason.UNSUPPORTED_FORMAT));
    assertEquals(1L, result.failures().images().get(FailureReason.CORRUPT_IMAGE));
    assertEquals(1L, result.failures().images().get(FailureReason.UNSUPPORTED_SOURCE));

    JsonNode json = new ObjectMapper().readTree(reportFile.toFile());
    assertEquals(9, json.get("failures").size(), "eight skipped + one partial");
    JsonNode missing = find(json.get("failures"), "missing");
    assertEquals("skipped", missing.get("status").asText());
    assertEquals("no_usable_image", missing.get("reason").asText());
    assertEquals("file_not_found", missing.get("images").get(0).get("reason").asText());
    assertTrue(missing.get("images").get(0).get("message").asText().contains("nope.png"));
    JsonNode partial = find(json.get("failures"), "partial");
    assertEquals("partial", partial.get("status").asText());
    assertEquals(1, partial.get("images").get(0).get("index").asInt());
    assertEquals(1, json.get("summary").get("partial").asInt());
    assertEquals(
        2, json.get("summary").get("failed_images_by_reason").get("file_not_found").asInt());
    assertTrue(!Files.exists(tmp.resolve("report.json.partial")));
    withSnapshot(
        snapshot -> {
          assertEquals(1, stored(snapshot, "partial").images().size());
          assertEquals(1, stored(snapshot, "partial").failedImages());
          return null;
        });
  }

  private static JsonNode find(JsonNode failures, String id) {
    for (JsonNode failure : failures) {
      if (id.equals(failure.path("id").asText())) {
        return failure;
      }
    }
    throw new AssertionError("no failure for " + id + " in " + failures);
  }

  @Test
  void a_partially_indexed_product_is_retried_on_the_next_run() throws Exception {
    byte[] png = TestImages.png(5, 40, 30);
    catalog.addWithImages("p", catalog.writeFile("img/ok.png", png), "img/later.png");
    catalog.write();
    assertEquals(1, run(config()).counts().partial());
    catalog.writeFile("img/later.png", TestImages.png(6, 40, 30));
    IndexingResult second = run(config());
    assertEquals(1, second.counts().updated());
    assertEquals(0, second.counts().partial());
    assertEquals(1, second.images().reused());
    assertEquals(1, second.images().encoded());
  }

  @Test
  void max_errors_stops_reading_commits_what_was_done_and_skips_prune() throws Exception {
    for (int i = 0; i < 300; i++) {
      catalog.addWithImages("bad" + i, "img/missing-" + i + ".png");
    }
    catalog.write();
    IndexingResult result = run(config().withMaxErrors(2).withPrune(true));
    assertEquals(IndexingResult.Outcome.STOPPED, result.outcome());
    assertTrue(result.counts().failed() > 2, result.summary().toString());
    assertTrue(
        result.counts().entries() < 300, "stopped reading early: " + result.counts().entries());
    assertTrue(result.notes().stopReason().contains("--max-errors"), result.notes().stopReason());
    assertTrue(result.notes().pruneSkipped() != null);
    assertEquals("stopped", CatalogIndex.stats(indexDir).lastRun());
  }

  @Test
  void a_failed_model_batch_fails_only_its_products() throws Exception {
    for (int i = 0; i < 12; i++) {
      catalog.add("p" + i, 1, i);
    }
    catalog.write();
    model.failOnBatch(1);
    IndexingResult result = run(config().withThreads(1, 1));
    assertEquals(4, result.failures().products().get(FailureReason.ENCODE_FAILED));
    assertEquals(8, result.counts().added());
    assertTrue(
        failures.stream().anyMatch(f -> f.message().contains("injected failure on batch 1")),
        failures.toString());
  }

  @Test
  void a_model_that_always_fails_aborts_the_run_and_the_index_keeps_its_last_commit()
      throws Exception {
    buildCatalog(5);
    run(config());
    for (int i = 5; i < 40; i++) {
      catalog.add("p" + i, 1, i);
    }
    catalog.write();
    model = FakeClipModel.projecting().failAlways();
    IndexingException e = assertThrows(IndexingException.class, () -> run(config()));
    assertTrue(e.getMessage().contains("failed on 3 batches in a row"), e.getMessage());
    assertEquals(5, CatalogIndex.stats(indexDir).products());
  }

  @Test
  void a_different_model_is_refused_before_anything_is_read() throws Exception {
    buildCatalog(1);
    run(config());
    FakeClipModel other = FakeClipModel.projecting("another-model", 16);
    try (CatalogIndex index = CatalogIndex.openExisting(indexDir);
        ImageFetcher fetcher = new ImageFetcher(FetchConfig.DEFAULTS)) {
      IndexingException e =
          assertThrows(
              IndexingException.class,
              () ->
                  new BulkIndexer(
                          config(),
                          index,
                          other,
                          fetcher,
                          processor,
                          ProgressListener.NONE,
                          FailureListener.NONE)
                      .run());
      assertTrue(e.getMessage().contains("'another-model'"), e.getMessage());
    }
  }

  @Test
  @Tag("network")
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void url_images_are_downloaded_once_and_trusted_until_rehash() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger downloads = new AtomicInteger();
    server.createContext(
        "/img/",
        exchange -> {
          downloads.incrementAndGet();
          String name = exchange.getRequestURI().getPath();
          if (name.endsWith("gone.png")) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            byte[] body = TestImages.png(name.hashCode(), 40, 30);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/img/";
      for (int i = 0; i < 6; i++) {
        catalog.addWithImages("u" + i, base + i + ".png");
      }
      catalog.addWithImages("gone", base + "gone.png");
      catalog.write();
      IndexingResult first = run(config());
      assertEquals(6, first.counts().added());
      assertEquals(1L, first.failures().images().get(FailureReason.HTTP_ERROR));
      assertTrue(
          failures.get(0).images().get(0).message().contains("HTTP 404 from " + base + "gone.png"),
          failures.toString());
      int afterFirst = downloads.get();
      assertEquals(7, afterFirst, "one request per image; a 404 is not retried");

      IndexingResult second = run(config());
      assertEquals(6, second.counts().unchanged());
      assertEquals(afterFirst + 1, downloads.get(), "only the failed image is tried again");

      long encoded = model.imagesEncoded();
      IndexingResult rehashed = run(config().withRehash(true));
      assertEquals(6, rehashed.counts().unchanged(), "same bytes behind the URLs");
      assertEquals(afterFirst + 1 + 7, downloads.get());
      assertEquals(encoded, model.imagesEncoded());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void progress_reports_reach_the_total() throws Exception {
    buildCatalog(10);
    List<Progress> reports = Collections.synchronizedList(new ArrayList<>());
    try (CatalogIndex index =
            CatalogIndex.openOrCreate(indexDir, model.spec(), IndexSettings.DEFAULTS);
        ImageFetcher fetcher = new ImageFetcher(FetchConfig.DEFAULTS)) {
      new BulkIndexer(
              config(), index, model, fetcher, processor, reports::add, FailureListener.NONE)
          .run();
    }
    Progress last = reports.get(reports.size() - 1);
    assertEquals(10, last.processed());
    assertEquals(10, last.total());
    assertEquals(10, last.written());
  }
}
