package dev.clipsearch.indexer.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.indexer.fetch.FetchConfig;
import dev.clipsearch.indexer.fetch.ImageFetcher;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.index.IndexSnapshot;
import dev.clipsearch.indexer.report.ProductFailure;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.StoredProduct;
import dev.clipsearch.indexer.testing.CatalogFixture;
import dev.clipsearch.indexer.testing.SimpleImageProcessor;
import dev.clipsearch.models.testing.FakeClipModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --partition I/N}: N partitioned runs into one index do what one run does. */
class PartitionedIndexingTest {

  private static final int PARTS = 3;

  @TempDir Path tmp;

  private CatalogFixture catalog;
  private FakeClipModel model;
  private SimpleImageProcessor processor;
  private final List<ProductFailure> failures = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void setUp() {
    catalog = new CatalogFixture(tmp.resolve("catalog"));
    model = FakeClipModel.projecting();
    processor = new SimpleImageProcessor(model.spec().preprocess(), 32);
    for (int i = 0; i < 30; i++) {
      catalog.add("p" + i, 1 + i % 3, i);
    }
    catalog.addRawLine("{\"id\": \"p4\", \"title\": \"a duplicate id\", \"images\": []}");
    catalog.addRawLine("{\"id\": \"bad1\", \"title\": \"bad price\", \"price\": \"x\"}");
    catalog.addRawLine("not json at all");
    catalog.write();
  }

  private IndexingConfig config(Partition partition) {
    return IndexingConfig.defaults(catalog.catalog())
        .withBatchSize(4)
        .withThreads(2, 2)
        .withCommits(7, Duration.ofSeconds(30))
        .withPartition(partition);
  }

  private IndexingResult run(Path indexDir, IndexingConfig config) throws Exception {
    try (CatalogIndex index =
            CatalogIndex.openOrCreate(indexDir, model.spec(), IndexSettings.DEFAULTS);
        ImageFetcher fetcher = new ImageFetcher(FetchConfig.DEFAULTS)) {
      return new BulkIndexer(
              config, index, model, fetcher, processor, ProgressListener.NONE, failures::add)
          .run();
    }
  }

  /** Every product of an index: id to its images' vectors, in image order. */
  private static Map<String, List<float[]>> contents(Path indexDir) throws Exception {
    Map<String, List<float[]>> out = new TreeMap<>();
    try (CatalogIndex index = CatalogIndex.openExisting(indexDir);
        IndexSnapshot snapshot = index.snapshot()) {
      List<String> ids = new ArrayList<>();
      snapshot.forEachProductId(ids::add);
      for (String id : ids) {
        StoredProduct product = snapshot.find(id);
        out.put(id, product.images().stream().map(IndexedImage::vector).toList());
      }
    }
    return out;
  }

  private List<String> failedLines() {
    return failures.stream()
        .map(f -> f.line() + ":" + f.productId() + ":" + f.reason().code())
        .sorted()
        .toList();
  }

  @Test
  void three_partition_runs_into_one_index_equal_one_full_run() throws Exception {
    Path whole = tmp.resolve("whole");
    IndexingResult full = run(whole, config(Partition.ALL));
    List<String> fullFailures = failedLines();
    assertEquals(0, full.counts().outsidePartition());
    failures.clear();

    Path parts = tmp.resolve("parts");
    long added = 0;
    long entries = 0;
    for (int p = 0; p < PARTS; p++) {
      IndexingResult part = run(parts, config(new Partition(p, PARTS)));
      assertEquals(IndexingResult.Outcome.COMPLETE, part.outcome());
      assertTrue(part.counts().added() > 0, "partition " + p + " indexed something");
      assertTrue(part.counts().added() < 30, "partition " + p + " did not index everything");
      assertEquals(
          full.counts().entries(),
          part.counts().entries() + part.counts().outsidePartition(),
          "every line is either this partition's or another's");
      added += part.counts().added();
      entries += part.counts().entries();
    }
    assertEquals(full.counts().added(), added);
    assertEquals(full.counts().entries(), entries);
    assertEquals(fullFailures, failedLines(), "the runs together report each failure once");

    Map<String, List<float[]>> expected = contents(whole);
    Map<String, List<float[]>> actual = contents(parts);
    assertEquals(30, expected.size());
    assertEquals(expected.keySet(), actual.keySet());
    for (String id : expected.keySet()) {
      List<float[]> want = expected.get(id);
      List<float[]> got = actual.get(id);
      assertEquals(want.size(), got.size(), id);
      for (int i = 0; i < want.size(); i++) {
        assertArrayEquals(want.get(i), got.get(i), id + " image " + i);
      }
    }
  }

  @Test
  void a_partition_run_encodes_only_its_products() throws Exception {
    Path indexDir = tmp.resolve("index");
    Partition one = new Partition(1, PARTS);
    IndexingResult result = run(indexDir, config(one));
    TreeSet<String> mine = new TreeSet<>();
    int images = 0;
    for (int i = 0; i < 30; i++) {
      if (one.contains("p" + i)) {
        mine.add("p" + i);
        images += 1 + i % 3;
      }
    }
    assertEquals(mine, new TreeSet<>(contents(indexDir).keySet()));
    assertEquals(mine.size(), result.counts().added());
    assertEquals(images, model.imagesEncoded(), "no image of another partition was encoded");
  }

  @Test
  void prune_with_a_partition_deletes_only_that_partitions_missing_ids() throws Exception {
    Path indexDir = tmp.resolve("index");
    run(indexDir, config(Partition.ALL));
    String gone0 = firstIn(0);
    String gone1 = firstIn(1);
    catalog.remove(gone0);
    catalog.remove(gone1);
    catalog.write();

    IndexingResult pruned = run(indexDir, config(new Partition(0, PARTS)).withPrune(true));
    assertEquals(1, pruned.counts().pruned());
    try (CatalogIndex index = CatalogIndex.openExisting(indexDir);
        IndexSnapshot snapshot = index.snapshot()) {
      assertNull(snapshot.find(gone0), gone0 + " was partition 0's and left the catalog");
      assertNotNull(snapshot.find(gone1), gone1 + " is partition 1's: left for its run");
    }
    assertEquals(29, contents(indexDir).size());

    IndexingResult other = run(indexDir, config(new Partition(1, PARTS)).withPrune(true));
    assertEquals(1, other.counts().pruned());
    assertEquals(28, contents(indexDir).size());
  }

  private static String firstIn(int partition) {
    for (int i = 0; i < 30; i++) {
      if (Partition.of("p" + i, PARTS) == partition) {
        return "p" + i;
      }
    }
    throw new AssertionError("no product in partition " + partition);
  }
}
