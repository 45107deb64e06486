package dev.clipsearch.indexer.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.indexer.store.ProductFilter;
import dev.clipsearch.indexer.store.StoreSnapshot;
import dev.clipsearch.indexer.store.StoreView;
import dev.clipsearch.indexer.store.StoredProduct;
import dev.clipsearch.indexer.testing.IndexedProducts;
import dev.clipsearch.indexer.testing.TcpProxy;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.testing.FakeClipModel;
import dev.clipsearch.models.testing.TestProducts;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the Solr stores fail, on one local Solr node: unreachable Solr at open, Solr going away and
 * coming back while serving ({@link SolrSearchStore#ready()} follows it, never throwing), another
 * model's collection, a missing collection, the stats a committed run leaves, and a run abandoned
 * half way (as by {@code kill -9}) that a rerun by sync key and prune brings back to the catalog.
 */
@Tag("solr")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SolrStoreFailureTest {

  private static final ModelSpec MODEL = FakeClipModel.projecting("failure-clip", 4).spec();
  private static SolrTestCloud solr;

  @BeforeAll
  static void startSolr(@TempDir Path tmp) throws Exception {
    solr = SolrTestCloud.start(1, tmp.resolve("solr"), "SolrStoreFailureTest");
  }

  @AfterAll
  static void stopSolr() {
    if (solr != null) {
      solr.close();
    }
  }

  @AfterEach
  void dropCollections() throws SolrException {
    solr.dropCollections();
  }

  private String indexed(String name, ModelSpec model, int products) throws Exception {
    String collection = solr.collection(name);
    SolrCollectionSpec spec =
        SolrCollectionSpec.withDefaults(collection, 2, 1, SolrModelIdentity.of(model));
    try (SolrCatalogStore store = SolrCatalogStore.open(solr.client(), spec, model)) {
      for (int i = 0; i < products; i++) {
        store.upsert(
            IndexedProducts.indexed(
                TestProducts.product("p" + i, "Acme", "Shoes", "10", List.of(), 2),
                new float[] {1, 0, 0, 0},
                new float[] {0, 1, 0, 0}));
      }
      store.commit("complete");
    }
    return collection;
  }

  @Test
  void unreachable_solr_refuses_to_open_naming_the_url() {
    String dead = "http://127.0.0.1:" + SolrTestSupport.freePortRange(1) + "/solr";
    try (SolrCloudClient client =
        new SolrCloudClient(SolrNodes.parse(dead), Duration.ofSeconds(2), Duration.ofSeconds(10))) {
      SolrCollectionSpec spec =
          SolrCollectionSpec.withDefaults("anything", 1, 1, SolrModelIdentity.of(MODEL));
      SolrUnavailableException e =
          assertThrows(
              SolrUnavailableException.class, () -> SolrCatalogStore.open(client, spec, MODEL));
      assertTrue(e.getMessage().contains(dead), e.getMessage());
      e =
          assertThrows(
              SolrUnavailableException.class,
              () -> SolrSearchStore.open(client, "anything", false));
      assertTrue(e.getMessage().contains(dead), e.getMessage());
    }
  }

  @Test
  void ready_is_false_while_no_node_answers_and_true_again_when_one_does() throws Exception {
    String collection = indexed("ready", MODEL, 3);
    int solrPort = solr.cloud().nodes().get(0).port();
    try (TcpProxy forwarder = TcpProxy.start(solrPort);
        SolrCloudClient client =
            new SolrCloudClient(
                SolrNodes.parse("http://127.0.0.1:" + forwarder.port() + "/solr"),
                Duration.ofSeconds(2),
                Duration.ofSeconds(20))) {
      SolrSearchStore store = SolrSearchStore.open(client, collection, false);
      assertTrue(store.ready());
      try (StoreView view = store.view()) {
        assertEquals(3, view.knn(new float[] {1, 0, 0, 0}, 5, ProductFilter.NONE).size());
      }

      forwarder.pause();
      assertFalse(store.ready(), "no node answers");
      assertFalse(store.ready(), "still none");
      try (StoreView view = store.view()) {
        UncheckedIOException e =
            assertThrows(
                UncheckedIOException.class,
                () -> view.knn(new float[] {1, 0, 0, 0}, 5, ProductFilter.NONE));
        assertTrue(e.getMessage().contains(collection), e.getMessage());
      }

      forwarder.resume();
      assertTrue(store.ready(), "a node answers again");
      try (StoreView view = store.view()) {
        assertEquals(3, view.knn(new float[] {1, 0, 0, 0}, 5, ProductFilter.NONE).size());
      }
    }
  }

  @Test
  void another_models_collection_is_refused_and_a_missing_one_is_named() throws Exception {
    String collection = indexed("model", MODEL, 1);
    ModelSpec other = FakeClipModel.projecting("other-clip", 4).spec();
    SolrCollectionSpec spec =
        SolrCollectionSpec.withDefaults(collection, 2, 1, SolrModelIdentity.of(other));
    SolrModelMismatchException e =
        assertThrows(
            SolrModelMismatchException.class,
            () -> SolrCatalogStore.open(solr.client(), spec, other));
    assertTrue(e.getMessage().contains("failure-clip"), e.getMessage());
    assertTrue(e.getMessage().contains("other-clip"), e.getMessage());

    SolrSearchStore store = SolrSearchStore.open(solr.client(), collection, false);
    assertFalse(store.metadata().isCompatibleWith(other));
    assertThrows(
        SolrModelMismatchException.class,
        () -> store.metadata().checkModel(other, store.location()));

    SolrException missing =
        assertThrows(
            SolrException.class, () -> SolrSearchStore.open(solr.client(), "no-such", false));
    assertEquals(404, missing.status());
    assertTrue(missing.getMessage().contains("'no-such'"), missing.getMessage());
    missing =
        assertThrows(
            SolrException.class, () -> SolrCatalogStore.openExisting(solr.client(), "no-such"));
    assertEquals(404, missing.status());
    assertFalse(solr.client().collectionExists("no-such"), "delete never creates a collection");

    // Deletes need no model: the collection's own is taken.
    try (SolrCatalogStore deleter = SolrCatalogStore.openExisting(solr.client(), collection)) {
      assertEquals(MODEL.id(), deleter.metadata().modelId());
      assertEquals(List.of("p0"), deleter.delete(List.of("p0", "p9")));
      deleter.commit("delete");
    }
    assertEquals(0, SolrCollectionStats.read(solr.client(), collection).products());
  }

  @Test
  void an_abandoned_run_keeps_what_it_sent_and_a_rerun_converges_to_the_catalog() throws Exception {
    String collection = solr.collection("rerun");
    SolrCollectionSpec spec =
        SolrCollectionSpec.withDefaults(collection, 2, 1, SolrModelIdentity.of(MODEL));
    try (SolrCatalogStore before = SolrCatalogStore.open(solr.client(), spec, MODEL)) {
      before.upsert(product("gone-from-catalog", 7));
      before.commit("complete");
    }
    int size = 2 * SolrCatalogStore.BATCH + 10;
    Set<String> catalog = new HashSet<>();
    // The crashed run: never committed, never closed.
    SolrCatalogStore crashed = SolrCatalogStore.open(solr.client(), spec, MODEL);
    for (int i = 0; i < size; i++) {
      crashed.upsert(product("p" + i, i));
      catalog.add("p" + i);
    }

    try (SolrCatalogStore rerun = SolrCatalogStore.open(solr.client(), spec, MODEL)) {
      int skipped = 0;
      try (StoreSnapshot snapshot = rerun.snapshot()) {
        for (int i = 0; i < size; i++) {
          IndexedProduct wanted = product("p" + i, i);
          StoredProduct stored = snapshot.find("p" + i);
          if (stored != null && stored.hasSyncKey(wanted.syncKey())) {
            skipped++;
          } else {
            rerun.upsert(wanted);
          }
        }
        List<String> stale = new ArrayList<>();
        snapshot.forEachProductId(id -> catalog.contains(id) || stale.add(id));
        assertEquals(List.of("gone-from-catalog"), stale);
        for (String id : stale) {
          rerun.deleteUnchecked(id);
        }
      }
      rerun.commit("complete");
      assertTrue(
          skipped >= 2 * SolrCatalogStore.BATCH,
          "the batches the crashed run sent are kept and skipped: " + skipped);
      Set<String> ids = new HashSet<>();
      try (StoreSnapshot snapshot = rerun.snapshot()) {
        snapshot.forEachProductId(ids::add);
      }
      assertEquals(catalog, ids);
    }
    assertEquals(size, SolrCollectionStats.read(solr.client(), collection).products());
  }

  /** A product whose sync key is derived from {@code version}, with two images. */
  private static IndexedProduct product(String id, int version) {
    IndexedProduct p =
        IndexedProducts.indexed(
            TestProducts.product(id, "Acme", "Shoes", "10", List.of(), 2),
            new float[] {1, 0, 0, 0},
            new float[] {0, 1, 0, 0});
    byte[] key = new byte[32];
    key[0] = (byte) version;
    key[1] = (byte) (version >> 8);
    return new IndexedProduct(p.product(), p.json(), key, p.contentHash(), p.images(), List.of());
  }

  @Test
  void stats_count_what_searches_see_and_the_last_run() throws Exception {
    String collection = indexed("stats", MODEL, 4);
    SolrCollectionStats stats = SolrCollectionStats.read(solr.client(), collection);
    assertEquals(4, stats.products());
    assertEquals(8, stats.images());
    assertEquals("complete", stats.lastRun());
    assertNotNull(stats.lastCommit());
    assertEquals(MODEL.id(), stats.metadata().modelId());
    assertTrue(stats.location().contains(collection), stats.location());
  }
}
