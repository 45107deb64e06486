package dev.clipsearch.indexer.solr;

import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.indexer.store.SearchStore;
import dev.clipsearch.indexer.store.SearchStoreContractTest;
import dev.clipsearch.models.ModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link SearchStore} contract on SolrCloud: one Solr node and ZooKeeper started for the class,
 * each store a two-shard collection written by {@link SolrCatalogStore}. Solr views are not points
 * in time, which the suite checks as such.
 */
@Tag("solr")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SolrSearchStoreTest extends SearchStoreContractTest {

  private static SolrTestCloud solr;
  private int stores;

  @BeforeAll
  static void startSolr(@TempDir Path tmp) throws Exception {
    solr = SolrTestCloud.start(1, tmp.resolve("solr"), "SolrSearchStoreTest");
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

  @Override
  protected boolean viewsArePointInTime() {
    return false;
  }

  @Override
  protected SearchStore open(ModelSpec model, List<IndexedProduct> products, boolean writable)
      throws IOException {
    String collection = solr.collection("search" + stores++);
    SolrCollectionSpec spec =
        SolrCollectionSpec.withDefaults(collection, 2, 1, SolrModelIdentity.of(model));
    try (SolrCatalogStore writer = SolrCatalogStore.open(solr.client(), spec, model)) {
      for (IndexedProduct product : products) {
        writer.upsert(product);
      }
      writer.commit("contract test");
    }
    return SolrSearchStore.open(solr.client(), collection, writable);
  }
}
