package dev.clipsearch.searcher.search;

import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.indexer.store.ProductRecord;
import dev.clipsearch.indexer.store.SearchStore;
import dev.clipsearch.indexer.store.StoreView;
import dev.clipsearch.searcher.encode.ImageEmbedding;
import dev.clipsearch.searcher.encode.QueryEncoder;
import dev.clipsearch.searcher.service.CatalogAdmin;
import dev.clipsearch.searcher.service.ProductUpload;
import dev.clipsearch.searcher.service.UpsertResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Admin writes through a writable {@link SearchStore}: an uploaded product's images are encoded by
 * the model like catalog images, and the product is stored as the indexer would store it. Its
 * zero-shot attributes ({@code attr.*}) are those the upload gives, or, when it gives none, those
 * the stored product had. Changes are visible to searches when the call returns. Thread-safe.
 */
public final class StoreCatalogAdmin implements CatalogAdmin {

  private final SearchStore store;
  private final QueryEncoder encoder;

  public StoreCatalogAdmin(SearchStore store, QueryEncoder encoder) {
    this.store = store;
    this.encoder = encoder;
  }

  @Override
  public UpsertResult upsert(ProductUpload upload) {
    List<ImageEmbedding> embeddings = encoder.encodeCatalogImages(upload.images());
    boolean existed;
    Map<String, String> attributes = upload.fields().facetAttributes();
    try (StoreView view = store.view()) {
      Optional<ProductRecord> stored = view.product(upload.id());
      existed = stored.isPresent();
      if (attributes == null) {
        // No attributes in the body: keep what clipsearch tag (or an earlier upload) stored.
        attributes = stored.map(ProductRecord::facetAttributes).orElse(Map.of());
      }
    }
    IndexedProduct product = UploadedProducts.build(upload, embeddings, attributes);
    try {
      store.upsert(product);
    } catch (IOException e) {
      throw new UncheckedIOException("writing product '" + upload.id() + "' failed", e);
    }
    return new UpsertResult(upload.id(), !existed, embeddings.size());
  }

  @Override
  public boolean delete(String id) {
    try {
      return store.delete(id);
    } catch (IOException e) {
      throw new UncheckedIOException("deleting product '" + id + "' failed", e);
    }
  }
}
