package dev.clipsearch.indexer.index.search;

import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.indexer.store.SearchStore;
import dev.clipsearch.indexer.store.SearchStoreContractTest;
import dev.clipsearch.models.ModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link SearchStore} contract on the embedded Lucene index, written by {@link CatalogIndex}.
 */
class LuceneSearchStoreTest extends SearchStoreContractTest {

  @TempDir Path dir;
  private int stores;

  @Override
  protected SearchStore open(ModelSpec model, List<IndexedProduct> products, boolean writable)
      throws IOException {
    Path index = dir.resolve("index-" + stores++);
    try (CatalogIndex writer = CatalogIndex.openOrCreate(index, model, IndexSettings.DEFAULTS)) {
      for (IndexedProduct product : products) {
        writer.upsert(product);
      }
      writer.commit("contract test");
    }
    return LuceneSearchStore.open(index, model, writable, Duration.ofMillis(50));
  }
}
