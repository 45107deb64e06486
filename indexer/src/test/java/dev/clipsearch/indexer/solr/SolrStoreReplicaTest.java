package dev.clipsearch.indexer.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.indexer.store.ProductFilter;
import dev.clipsearch.indexer.store.ProductMatch;
import dev.clipsearch.indexer.store.StoreView;
import dev.clipsearch.indexer.testing.IndexedProducts;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.testing.FakeClipModel;
import dev.clipsearch.models.testing.TestProducts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collection with two replicas of each of its two shards on two Solr nodes: when one node is
 * killed ({@code kill -9} by pid) while serving, the search store stays ready and answers the same
 * products, and nothing indexed is lost.
 */
@Tag("solr")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class SolrStoreReplicaTest {

  private static final ModelSpec MODEL = FakeClipModel.projecting("replica-clip", 8).spec();
  private static SolrTestCloud solr;

  @BeforeAll
  static void startSolr(@TempDir Path tmp) throws Exception {
    solr = SolrTestCloud.start(2, tmp.resolve("solr"), "SolrStoreReplicaTest");
  }

  @AfterAll
  static void stopSolr() {
    if (solr != null) {
      solr.close();
    }
  }

  @Test
  void with_two_replicas_a_killed_node_leaves_every_product_searchable() throws Exception {
    String collection = solr.collection("replicated");
    SolrCollectionSpec spec =
        SolrCollectionSpec.withDefaults(collection, 2, 2, SolrModelIdentity.of(MODEL));
    Random random = new Random(7);
    try (SolrCatalogStore writer = SolrCatalogStore.open(solr.client(), spec, MODEL)) {
      for (int i = 0; i < 30; i++) {
        writer.upsert(
            IndexedProducts.indexed(
                TestProducts.product(
                    "p" + i, i % 2 == 0 ? "Acme" : "Zed", "Shoes", "10", List.of(), 2),
                TestProducts.unitVector(random, 8),
                TestProducts.unitVector(random, 8)));
      }
      writer.commit("complete");
    }
    float[] query = TestProducts.unitVector(random, 8);
    ProductFilter acme = new ProductFilter(null, List.of("Acme"), null, null, List.of(), null);

    try (SolrCloudClient client =
        new SolrCloudClient(
            SolrNodes.parse(solr.cloud().solrUrls()),
            Duration.ofSeconds(2),
            Duration.ofSeconds(60))) {
      SolrSearchStore store = SolrSearchStore.open(client, collection, false);
      List<String> knn;
      List<String> filtered;
      List<String> lexical;
      try (StoreView view = store.view()) {
        knn = ids(view.knn(query, 10, ProductFilter.NONE));
        filtered = ids(view.knn(query, 10, acme));
        lexical = ids(view.lexical("product p7", 10, 10, ProductFilter.NONE));
      }
      assertEquals(10, knn.size());
      assertFalse(lexical.isEmpty());

      LocalSolrCloud.Node first = solr.cloud().nodes().get(0);
      ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();
      assertTrue(first.process().waitFor(60, TimeUnit.SECONDS), "node 1 is gone");

      assertTrue(store.ready(), "node 2 answers");
      assertEquals(30, store.sizes().products(), "nothing indexed is lost");
      assertEquals(60, store.sizes().images());
      try (StoreView view = store.view()) {
        assertEquals(knn, ids(view.knn(query, 10, ProductFilter.NONE)));
        assertEquals(filtered, ids(view.knn(query, 10, acme)));
        assertEquals(lexical, ids(view.lexical("product p7", 10, 10, ProductFilter.NONE)));
        assertTrue(view.product("p29").isPresent());
        assertEquals(2, view.imageVectors("p0").orElseThrow().size());
      }
    }
  }

  private static List<String> ids(List<ProductMatch> matches) {
    return matches.stream().map(ProductMatch::productId).toList();
  }
}
