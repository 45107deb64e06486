package dev.clipsearch.indexer.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexQueries;
import dev.clipsearch.indexer.index.IndexSnapshot;
import dev.clipsearch.indexer.index.IndexStats;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.StoredProduct;
import dev.clipsearch.indexer.testing.CatalogFixture;
import dev.clipsearch.indexer.testing.SimpleImageProcessor;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.testing.RandomSeed;
import dev.clipsearch.models.testing.StartedProcesses;
import dev.clipsearch.models.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.search.IndexSearcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at any moment leaves an index that opens, and a rerun completes the job without
 * duplicates or losses. A real JVM runs the indexer (real ONNX runtime, tiny generated model) and
 * is killed with {@code destroyForcibly} (SIGKILL) at seeded points; the last run completes; then
 * every product is checked against the catalog and against vectors computed from scratch.
 */
@ExtendWith(RandomSeed.Extension.class)
@Tag("e2e")
@Timeout(value = 15, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CrashRecoveryTest {

  private static final int PRODUCTS = 240;

  @TempDir Path tmp;

  /** Every indexer JVM this test started, killed by pid if the test ends before it does. */
  private final StartedProcesses started = new StartedProcesses();

  @AfterEach
  void killLeftoverProcesses() throws InterruptedException {
    started.killAll();
  }

  @Test
  void killed_runs_leave_an_openable_index_and_a_rerun_completes_without_duplicates_or_losses(
      RandomSeed seed) throws Exception {
    Random random = seed.random();
    CatalogFixture catalog = new CatalogFixture(tmp.resolve("catalog"));
    int images = 0;
    for (int i = 0; i < PRODUCTS; i++) {
      int n = 1 + random.nextInt(3);
      catalog.add("p" + i, n, i);
      images += n;
    }
    catalog.write();
    Path indexDir = tmp.resolve("index");
    Path modelDir = TestModels.tiny(TestModels.Layout.HF);

    // Two kills at seeded points, each after at least one more commit than before.
    long committed = 0;
    for (int kill = 0; kill < 2; kill++) {
      long target = committed + 10 + random.nextInt(60);
      Process process =
          start(catalog.catalog(), indexDir, modelDir, tmp.resolve("run" + kill + ".log"));
      long seen = waitForCommittedProducts(indexDir, target, process);
      Thread.sleep(random.nextInt(200)); // somewhere between two commits
      process.destroyForcibly();
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the indexer did not die");
      assertTrue(
          seen < PRODUCTS, seed + ": the run finished before it could be killed; slow it down");
      // The killed index opens, and holds whole products only.
      IndexStats stats = CatalogIndex.stats(indexDir);
      assertTrue(stats.products() >= seen, seed + ": lost committed products");
      assertEquals("running", stats.lastRun());
      committed = stats.products();
    }

    Process last = start(catalog.catalog(), indexDir, modelDir, tmp.resolve("final.log"));
    assertTrue(last.waitFor(5, TimeUnit.MINUTES), "the final run did not finish");
    String log = Files.readString(tmp.resolve("final.log"));
    assertEquals(0, last.exitValue(), log);
    assertTrue(
        log.contains("unchanged=" + committed)
            || log.contains("\"unchanged\":" + committed)
            || log.contains("unchanged=" + committed + ","),
        "the rerun should skip the " + committed + " committed products: " + log);

    IndexStats stats = CatalogIndex.stats(indexDir);
    assertEquals(PRODUCTS, stats.products(), seed.toString());
    assertEquals(images, stats.images(), seed.toString());
    assertEquals("complete", stats.lastRun());
    verifyEveryProduct(catalog, indexDir, modelDir, seed);
  }

  private void verifyEveryProduct(
      CatalogFixture catalog, Path indexDir, Path modelDir, RandomSeed seed) throws Exception {
    RuntimeOptions options = RuntimeOptions.defaults().withDevice(Device.CPU).withBatchSize(4);
    try (ClipModel model = ClipModels.load(modelDir, options);
        CatalogIndex index = CatalogIndex.openExisting(indexDir);
        IndexSnapshot snapshot = index.snapshot()) {
      SimpleImageProcessor processor = new SimpleImageProcessor(model.spec().preprocess(), 32);
      IndexSearcher searcher = new IndexSearcher(snapshot.reader());
      for (int i = 0; i < PRODUCTS; i++) {
        String id = "p" + i;
        assertEquals(1, searcher.count(IndexQueries.product(id)), seed + ": " + id);
        StoredProduct product = snapshot.find(id);
        assertNotNull(product, id);
        List<IndexedImage> stored = product.images();
        int expected = catalog.get(id).get("images").size();
        assertEquals(expected, stored.size(), id);
        List<float[]> tensors = new ArrayList<>();
        for (IndexedImage image : stored) {
          byte[] bytes = Files.readAllBytes(catalog.dir().resolve(image.source()));
          tensors.add(processor.process(bytes, image.source()).pixels());
        }
        float[][] fresh = model.encodeImages(tensors);
        for (int j = 0; j < stored.size(); j++) {
          assertArrayEquals(fresh[j], stored.get(j).vector(), 1e-5f, id + " image " + j);
        }
      }
    }
  }

  private Process start(Path catalog, Path indexDir, Path modelDir, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
            java,
            "-Xmx512m",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            CrashTestMain.class.getName(),
            catalog.toString(),
            indexDir.toString(),
            modelDir.toString(),
            "8",
            "40");
    builder.redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    Process process = builder.start();
    started.add(process);
    return process;
  }

  /** Polls the last commit until it holds {@code target} products; returns the count seen. */
  private static long waitForCommittedProducts(Path indexDir, long target, Process process)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return PRODUCTS;
      }
      try {
        long products = CatalogIndex.stats(indexDir).products();
        if (products >= target) {
          return products;
        }
      } catch (IOException e) {
        // not created yet
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no progress within 3 minutes");
  }
}
