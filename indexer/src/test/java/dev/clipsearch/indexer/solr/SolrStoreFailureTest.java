package dev.clipsearch.indexer.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.indexer.store.ProductFilter;
import dev.clipsearch.indexer.store.StoreView;
import dev.clipsearch.indexer.testing.IndexedProducts;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.testing.FakeClipModel;
import dev.clipsearch.models.testing.TestProducts;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * model's collection, a missing collection, and the stats a committed run leaves.
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
    try (TcpForwarder forwarder = new TcpForwarder(SolrTestSupport.freePortRange(1), solrPort);
        SolrCloudClient client =
            new SolrCloudClient(
                SolrNodes.parse("http://127.0.0.1:" + forwarder.port() + "/solr"),
                Duration.ofSeconds(2),
                Duration.ofSeconds(20))) {
      forwarder.restore();
      SolrSearchStore store = SolrSearchStore.open(client, collection, false);
      assertTrue(store.ready());
      try (StoreView view = store.view()) {
        assertEquals(3, view.knn(new float[] {1, 0, 0, 0}, 5, ProductFilter.NONE).size());
      }

      forwarder.cut();
      assertFalse(store.ready(), "no node answers");
      assertFalse(store.ready(), "still none");
      try (StoreView view = store.view()) {
        UncheckedIOException e =
            assertThrows(
                UncheckedIOException.class,
                () -> view.knn(new float[] {1, 0, 0, 0}, 5, ProductFilter.NONE));
        assertTrue(e.getMessage().contains(collection), e.getMessage());
      }

      forwarder.restore();
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
