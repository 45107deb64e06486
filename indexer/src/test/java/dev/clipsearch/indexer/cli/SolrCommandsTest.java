package dev.clipsearch.indexer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.indexer.pipeline.Partition;
import dev.clipsearch.indexer.solr.LocalSolrCloud;
import dev.clipsearch.indexer.solr.SolrCloudClient;
import dev.clipsearch.indexer.solr.SolrException;
import dev.clipsearch.indexer.solr.SolrNodes;
import dev.clipsearch.indexer.solr.SolrSearchStore;
import dev.clipsearch.indexer.solr.SolrTestSupport;
import dev.clipsearch.indexer.store.StoreView;
import dev.clipsearch.indexer.testing.CatalogFixture;
import dev.clipsearch.indexer.testing.MixedCatalog;
import dev.clipsearch.models.testing.StartedProcesses;
import dev.clipsearch.models.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code index}, {@code stats} and {@code delete} with {@code --solr} against a real two-node
 * SolrCloud (started once for the class, stopped by pid): a mixed catalog indexes every good
 * product into a two-shard collection the run creates and reports every bad one, a rerun encodes
 * nothing, stats counts the products, delete deletes, another model is refused, and a run killed by
 * pid mid-way then rerun ends with exactly the catalog's products.
 */
@Tag("solr")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SolrCommandsTest {

  private static final int GOOD = 10;

  private Path tmp;
  private LocalSolrCloud cloud;
  private MixedCatalog catalog;
  private Path model;
  private final StartedProcesses started = new StartedProcesses();

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    tmp = dir;
    cloud = SolrTestSupport.start(2, dir.resolve("solr"));
    catalog = MixedCatalog.write(dir.resolve("catalog"), GOOD);
    model = TestModels.tiny(TestModels.Layout.HF);
  }

  @AfterAll
  void stop() throws InterruptedException {
    started.killAll();
    if (cloud != null) {
      cloud.close();
    }
  }

  /** The last test: a run killed by pid mid-way, then rerun, ends with exactly the catalog. */
  @Test
  @Order(5)
  void an_index_run_killed_mid_way_and_rerun_ends_with_exactly_the_catalog() throws Exception {
    CatalogFixture big = new CatalogFixture(tmp.resolve("big"));
    int products = 240;
    for (int i = 0; i < products; i++) {
      big.add(String.format("b%03d", i), 1, 5000 + i);
    }
    big.write();
    String[] args = {
      "--catalog",
      big.catalog().toString(),
      "--solr",
      cloud.solrUrls(),
      "--collection",
      "crash",
      "--model",
      model.toString(),
      "--device",
      "cpu",
      "--no-progress",
      "--threads",
      "1",
      "--fetch-threads",
      "1",
      "--batch-size",
      "1",
      "--commit-every",
      "10"
    };
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx384m",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                IndexCommandMain.class.getName()));
    command.addAll(List.of(args));
    Path log = tmp.resolve("killed-run.log");
    Process process =
        started.add(
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start());
    long seen = 0;
    try (SolrCloudClient client = new SolrCloudClient(SolrNodes.parse(cloud.solrUrls()))) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
      while (System.nanoTime() < deadline && process.isAlive() && seen < 20) {
        Thread.sleep(200);
        try {
          seen = client.countProducts("crash");
        } catch (SolrException e) {
          seen = 0; // the run has not created the collection yet, or it is still coming up
        }
      }
      process.destroyForcibly(); // SIGKILL: no shutdown hook, no final commit
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the indexer did not die");
      long atKill = client.countProducts("crash");
      System.out.println("killed index --solr with " + atKill + " of " + products + " stored");
      assertTrue(
          atKill < products,
          "the run finished before it could be killed: " + Files.readString(log));
    }

    CommandRun rerun = CommandRun.run(new IndexCommand(Map.of(), tmp), args);
    assertEquals(0, rerun.exitCode(), rerun.toString());
    try (SolrCloudClient client = new SolrCloudClient(SolrNodes.parse(cloud.solrUrls()));
        SolrSearchStore store = SolrSearchStore.open(client, "crash", false);
        StoreView view = store.view()) {
      assertEquals(products, store.sizes().products(), rerun.toString());
      assertEquals(products, store.sizes().images(), rerun.toString());
      for (int i = 0; i < products; i++) {
        assertTrue(view.contains(String.format("b%03d", i)), "b" + i);
      }
    }
  }

  /**
   * Three {@code --partition I/3} runs into one collection store exactly what one whole run stores
   * (the same ids, the same image vectors), and {@code --prune} with a partition deletes only that
   * partition's removed products.
   */
  @Test
  @Order(6)
  void three_partition_runs_store_what_one_run_stores_and_prune_stays_in_its_partition()
      throws Exception {
    CatalogFixture parts = new CatalogFixture(tmp.resolve("parts"));
    int products = 24;
    for (int i = 0; i < products; i++) {
      parts.add(String.format("p%02d", i), 1 + i % 2, 7000 + i);
    }
    parts.write();
    CommandRun whole = indexInto(parts, "whole");
    assertEquals(0, whole.exitCode(), whole.toString());
    for (int i = 0; i < 3; i++) {
      CommandRun part = indexInto(parts, "parted", "--partition", i + "/3");
      assertEquals(0, part.exitCode(), part.toString());
      assertTrue(part.out().contains("in other partitions"), part.toString());
    }
    try (SolrCloudClient client = new SolrCloudClient(SolrNodes.parse(cloud.solrUrls()));
        SolrSearchStore one = SolrSearchStore.open(client, "whole", false);
        SolrSearchStore three = SolrSearchStore.open(client, "parted", false);
        StoreView a = one.view();
        StoreView b = three.view()) {
      assertEquals(one.sizes().products(), three.sizes().products());
      assertEquals(one.sizes().images(), three.sizes().images());
      for (int i = 0; i < products; i++) {
        String id = String.format("p%02d", i);
        List<float[]> expected = a.imageVectors(id).orElseThrow(() -> new AssertionError(id));
        List<float[]> actual = b.imageVectors(id).orElseThrow(() -> new AssertionError(id));
        assertEquals(expected.size(), actual.size(), id);
        for (int v = 0; v < expected.size(); v++) {
          assertTrue(Arrays.equals(expected.get(v), actual.get(v)), id + " image " + v);
        }
      }
    }

    // one removed product in partition 0 and one elsewhere: pruning partition 0 deletes only its
    // own
    String inZero = null;
    String elsewhere = null;
    for (int i = 0; i < products && (inZero == null || elsewhere == null); i++) {
      String id = String.format("p%02d", i);
      if (Partition.of(id, 3) == 0 && inZero == null) {
        inZero = id;
      } else if (Partition.of(id, 3) != 0 && elsewhere == null) {
        elsewhere = id;
      }
    }
    parts.remove(inZero);
    parts.remove(elsewhere);
    parts.write();
    CommandRun pruned = indexInto(parts, "parted", "--partition", "0/3", "--prune");
    assertEquals(0, pruned.exitCode(), pruned.toString());
    try (SolrCloudClient client = new SolrCloudClient(SolrNodes.parse(cloud.solrUrls()));
        SolrSearchStore three = SolrSearchStore.open(client, "parted", false);
        StoreView view = three.view()) {
      assertFalse(view.contains(inZero), inZero + " is partition 0's and gone from the catalog");
      assertTrue(view.contains(elsewhere), elsewhere + " is left to its own partition's run");
      assertEquals(products - 1, three.sizes().products(), pruned.toString());
    }
  }

  private CommandRun indexInto(CatalogFixture fixture, String collection, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--catalog",
                fixture.catalog().toString(),
                "--solr",
                cloud.solrUrls(),
                "--collection",
                collection,
                "--shards",
                "2",
                "--model",
                model.toString(),
                "--device",
                "cpu",
                "--no-progress",
                "--threads",
                "2",
                "--batch-size",
                "4"));
    args.addAll(List.of(extra));
    return CommandRun.run(new IndexCommand(Map.of(), tmp), args.toArray(String[]::new));
  }

  private CommandRun index(Path modelDir, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--catalog",
                catalog.catalog().toString(),
                "--solr",
                cloud.solrUrls(),
                "--collection",
                "shop",
                "--model",
                modelDir.toString(),
                "--device",
                "cpu",
                "--no-progress",
                "--threads",
                "2",
                "--batch-size",
                "4",
                "--http-retries",
                "0",
                "--http-timeout",
                "5"));
    args.addAll(List.of(extra));
    return CommandRun.run(new IndexCommand(Map.of(), tmp), args.toArray(String[]::new));
  }

  @Test
  @Order(1)
  void index_creates_the_collection_indexes_every_good_product_and_reports_every_bad_one()
      throws Exception {
    Path reportFile = tmp.resolve("report.json");
    CommandRun run =
        index(model, "--shards", "2", "--replicas", "1", "--report", reportFile.toString());
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.err().contains("created Solr collection 'shop'"), run.toString());
    assertTrue(run.out().contains(GOOD + " added"), run.toString());
    assertTrue(run.out().contains(catalog.bad().size() + " skipped"), run.toString());

    JsonNode report = new ObjectMapper().readTree(reportFile.toFile());
    Map<String, JsonNode> failures = new HashMap<>();
    report.get("failures").forEach(f -> failures.put(f.path("id").asText(), f));
    assertEquals(catalog.bad().keySet(), failures.keySet(), report.toString());
    catalog
        .bad()
        .forEach(
            (id, reason) ->
                assertEquals(
                    reason,
                    failures.get(id).get("images").get(0).get("reason").asText(),
                    failures.get(id).toString()));

    try (SolrCloudClient client = new SolrCloudClient(SolrNodes.parse(cloud.solrUrls()));
        SolrSearchStore store = SolrSearchStore.open(client, "shop", false);
        StoreView view = store.view()) {
      for (String id : catalog.good()) {
        assertTrue(view.contains(id), id);
      }
      for (String id : catalog.bad().keySet()) {
        assertFalse(view.contains(id), id);
      }
      assertEquals(
          2, client.clusterStatus().path("collections").path("shop").path("shards").size());
      List<SolrCloudClient.ShardIndex> shards = client.shardIndexes("shop");
      assertEquals(2, shards.size(), shards.toString());
      long bytes = 0;
      for (SolrCloudClient.ShardIndex shard : shards) {
        assertTrue(shard.sizeInBytes() > 0, shard.toString());
        assertTrue(shard.segments() > 0, shard.toString());
        bytes += shard.sizeInBytes();
      }
      assertEquals(bytes, store.sizes().bytes(), "the size is the leaders' indexes added up");
    }

    CommandRun rerun = index(model);
    assertEquals(0, rerun.exitCode(), rerun.toString());
    assertTrue(rerun.err().contains("opened Solr collection 'shop'"), rerun.toString());
    assertTrue(
        rerun.out().contains("0 added, 0 updated, " + GOOD + " unchanged"), rerun.toString());
    assertTrue(rerun.out().contains("images: 0 encoded"), rerun.toString());

    // --shards / --replicas for the existing collection with another layout: refused, naming it.
    CommandRun otherLayout = index(model, "--shards", "3");
    assertEquals(2, otherLayout.exitCode(), otherLayout.toString());
    assertTrue(
        otherLayout.err().contains("already exists with 2 shard(s) x 1 replica(s)"),
        otherLayout.toString());
    CommandRun sameLayout = index(model, "--shards", "2", "--replicas", "1", "--merge");
    assertEquals(0, sameLayout.exitCode(), sameLayout.toString());
    assertTrue(sameLayout.out().contains("segments after: shard"), sameLayout.toString());
    try (SolrCloudClient client = new SolrCloudClient(SolrNodes.parse(cloud.solrUrls()))) {
      for (SolrCloudClient.ShardIndex shard : client.shardIndexes("shop")) {
        assertEquals(1, shard.segments(), "--merge leaves one segment per shard: " + shard);
      }
    }
  }

  @Test
  @Order(2)
  void stats_prints_the_product_count_like_the_embedded_stats() {
    CommandRun stats =
        CommandRun.run(new StatsCommand(), "--solr", cloud.solrUrls(), "--collection", "shop");
    assertEquals(0, stats.exitCode(), stats.toString());
    assertTrue(stats.out().contains("products: " + GOOD + "\n"), stats.toString());
    assertTrue(stats.out().contains("model: "), stats.toString());
    assertTrue(stats.out().contains("shards: 2\n"), stats.toString());
    assertTrue(stats.out().contains("live nodes: 2\n"), stats.toString());
    assertTrue(stats.out().contains("last run: complete\n"), stats.toString());
    assertTrue(
        stats.out().contains("bytes, one copy: the shard leaders' indexes)"), stats.toString());
    assertTrue(stats.out().contains("segments: shard"), stats.toString());

    CommandRun json =
        CommandRun.run(
            new StatsCommand(), "--solr", cloud.solrUrls(), "--collection", "shop", "--json");
    assertEquals(0, json.exitCode(), json.toString());
    assertTrue(json.out().contains("\"products\" : " + GOOD), json.toString());
  }

  @Test
  @Order(3)
  void delete_removes_products_and_lists_the_unknown_ids() {
    CommandRun delete =
        CommandRun.run(
            new DeleteCommand(),
            "--solr",
            cloud.solrUrls(),
            "--collection",
            "shop",
            "g00",
            "no-such-product");
    assertEquals(0, delete.exitCode(), delete.toString());
    assertTrue(delete.out().contains("deleted 1 of 2 product(s)"), delete.toString());
    assertTrue(delete.out().contains("not in the index: no-such-product"), delete.toString());

    CommandRun stats =
        CommandRun.run(new StatsCommand(), "--solr", cloud.solrUrls(), "--collection", "shop");
    assertTrue(stats.out().contains("products: " + (GOOD - 1) + "\n"), stats.toString());
  }

  @Test
  @Order(4)
  void a_collection_built_by_another_model_is_refused_naming_both() {
    CommandRun other = index(TestModels.tiny(TestModels.Layout.OPEN_CLIP));
    assertEquals(1, other.exitCode(), other.toString());
    assertTrue(other.err().contains("was built with model"), other.toString());
    assertTrue(other.err().contains("shop"), other.toString());
  }
}
