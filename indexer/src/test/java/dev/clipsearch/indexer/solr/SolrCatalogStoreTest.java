package dev.clipsearch.indexer.solr;

import dev.clipsearch.indexer.store.CatalogStore;
import dev.clipsearch.indexer.store.CatalogStoreContractTest;
import dev.clipsearch.models.ModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link CatalogStore} contract on SolrCloud: one Solr node and ZooKeeper started for the
 * class, a two-shard collection per store. Solr keeps every acknowledged write (no rollback in
 * cloud mode), so the suite checks durability and convergence instead of dropped writes.
 */
@Tag("solr")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SolrCatalogStoreTest extends CatalogStoreContractTest {

  private static SolrTestCloud solr;

  @BeforeAll
  static void startSolr(@TempDir Path tmp) throws Exception {
    solr = SolrTestCloud.start(1, tmp.resolve("solr"), "SolrCatalogStoreTest");
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
  protected boolean dropsUncommittedWrites() {
    return false;
  }

  @Override
  protected CatalogStore open(String name, ModelSpec model) throws IOException {
    SolrCollectionSpec spec =
        SolrCollectionSpec.withDefaults(solr.collection(name), 2, 1, SolrModelIdentity.of(model));
    return SolrCatalogStore.open(solr.client(), spec, model);
  }
}
