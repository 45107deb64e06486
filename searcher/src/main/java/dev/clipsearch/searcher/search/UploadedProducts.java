package dev.clipsearch.searcher.search;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.common.catalog.ProductHashes;
import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.searcher.encode.ImageEmbedding;
import dev.clipsearch.searcher.service.ProductFields;
import dev.clipsearch.searcher.service.ProductUpload;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Turns a product uploaded through the admin API into the indexer's {@link IndexedProduct}, so that
 * it is stored exactly like a catalog product. Uploaded images have no file or URL: their reference
 * is {@code upload:<sha256 of the bytes>}, which also serves as their fingerprint.
 */
final class UploadedProducts {

  /** The reference prefix of uploaded images. */
  static final String UPLOAD_PREFIX = "upload:";

  private UploadedProducts() {}

  /**
   * @param facetAttributes the zero-shot attribute values to store with it (empty for none)
   */
  static IndexedProduct build(
      ProductUpload upload, List<ImageEmbedding> embeddings, Map<String, String> facetAttributes) {
    ProductFields f = upload.fields();
    List<String> shas = new ArrayList<>(upload.images().size());
    List<String> refs = new ArrayList<>(upload.images().size());
    for (byte[] bytes : upload.images()) {
      String sha = ProductHashes.sha256Hex(bytes);
      shas.add(sha);
      refs.add(UPLOAD_PREFIX + sha);
    }
    Product product =
        new Product(
            upload.id(),
            f.title(),
            f.description(),
            f.brand(),
            f.category(),
            f.price() == null ? null : BigDecimal.valueOf(f.price()),
            f.currency(),
            List.copyOf(new LinkedHashSet<>(f.tags())),
            f.url(),
            refs,
            f.attributes());
    String json = ProductJson.canonical(product);
    List<IndexedImage> images = new ArrayList<>(embeddings.size());
    for (int i = 0; i < embeddings.size(); i++) {
      ImageEmbedding e = embeddings.get(i);
      images.add(
          new IndexedImage(
              i,
              refs.get(i),
              refs.get(i),
              shas.get(i),
              e.vector(),
              e.image().width(),
              e.image().height(),
              e.image().thumbnail()));
    }
    // An uploaded image's reference is its content, so it is its own fingerprint.
    List<ProductHashes.ImageKey> keys =
        refs.stream().map(ref -> new ProductHashes.ImageKey(ref, ref)).toList();
    return new IndexedProduct(
        product,
        json,
        ProductHashes.syncKey(json, keys),
        ProductHashes.contentHash(json, shas),
        images,
        List.of(),
        facetAttributes);
  }
}
