package dev.clipsearch.searcher.search;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.indexer.store.ImageRecord;
import dev.clipsearch.indexer.store.ProductRecord;
import dev.clipsearch.indexer.store.SearchStore;
import dev.clipsearch.indexer.store.StoreView;
import dev.clipsearch.indexer.store.Thumbnail;
import dev.clipsearch.searcher.service.OriginalImage;
import dev.clipsearch.searcher.service.ProductDetails;
import dev.clipsearch.searcher.service.ProductImage;
import dev.clipsearch.searcher.service.ProductNotFoundException;
import dev.clipsearch.searcher.service.StoredImage;
import java.util.ArrayList;
import java.util.List;

/**
 * One product by id from a {@link SearchStore}: its details for the product page, its images'
 * thumbnails, and where their originals are. Unknown products and images are {@link
 * ProductNotFoundException}s. Thread-safe.
 */
final class ProductLookup {

  private final SearchStore store;
  private final OriginalImages originals;

  ProductLookup(SearchStore store, OriginalImages originals) {
    this.store = store;
    this.originals = originals;
  }

  ProductDetails product(String id) {
    try (StoreView view = store.view()) {
      ProductRecord stored = view.product(id).orElseThrow(() -> new ProductNotFoundException(id));
      Product json = ProductJson.read(stored.json());
      List<ProductImage> images = new ArrayList<>(stored.images().size());
      for (ImageRecord image : stored.images()) {
        images.add(
            new ProductImage(
                image.index(), image.source(), originals.resolve(image.source()) != null));
      }
      return new ProductDetails(
          id,
          json.title(),
          json.description(),
          json.price() == null ? null : json.price().doubleValue(),
          json.currency(),
          json.category(),
          json.brand(),
          json.tags(),
          json.url(),
          json.attributes(),
          stored.facetAttributes(),
          images);
    }
  }

  StoredImage thumbnail(String id, int image) {
    try (StoreView view = store.view()) {
      Thumbnail thumbnail =
          view.thumbnail(requireImage(view, id, image))
              .orElseThrow(
                  () ->
                      new ProductNotFoundException(
                          id,
                          "the index keeps no thumbnail for image "
                              + image
                              + " of product '"
                              + id
                              + "'"));
      return new StoredImage(thumbnail.bytes(), thumbnail.mediaType());
    }
  }

  OriginalImage originalImage(String id, int image) {
    String source;
    try (StoreView view = store.view()) {
      source = requireImage(view, id, image).source();
    }
    OriginalImage original = originals.resolve(source);
    if (original == null) {
      throw new ProductNotFoundException(
          id,
          "the original of image "
              + image
              + " of product '"
              + id
              + "' is not available from this server");
    }
    return original;
  }

  private static ImageRecord requireImage(StoreView view, String id, int image) {
    List<ImageRecord> images = view.images(id).orElseThrow(() -> new ProductNotFoundException(id));
    for (ImageRecord candidate : images) {
      if (candidate.index() == image) {
        return candidate;
      }
    }
    throw new ProductNotFoundException(id, "product '" + id + "' has no image " + image);
  }
}
