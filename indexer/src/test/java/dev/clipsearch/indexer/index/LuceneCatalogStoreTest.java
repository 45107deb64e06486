package dev.clipsearch.indexer.index;

import dev.clipsearch.indexer.store.CatalogStore;
import dev.clipsearch.indexer.store.CatalogStoreContractTest;
import dev.clipsearch.models.ModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@link CatalogStore} contract run against the embedded Lucene index. */
class LuceneCatalogStoreTest extends CatalogStoreContractTest {

  @TempDir Path dir;

  @Override
  protected CatalogStore open(String name, ModelSpec model) throws IOException {
    return CatalogIndex.openOrCreate(dir.resolve(name), model, IndexSettings.DEFAULTS);
  }
}
