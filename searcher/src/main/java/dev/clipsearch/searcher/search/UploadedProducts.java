package dev.clipsearch.searcher.search;

import dev.clipsearch.indexer.catalog.Product;
import dev.clipsearch.indexer.catalog.ProductJson;
import dev.clipsearch.indexer.index.IndexedImage;
import dev.clipsearch.indexer.index.IndexedProduct;
import dev.clipsearch.searcher.encode.ImageEmbedding;
import dev.clipsearch.searcher.service.ProductFields;
import dev.clipsearch.searcher.service.ProductUpload;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Turns a product uploaded through the admin API into the indexer's {@link IndexedProduct}, so that
 * it is stored exactly like a catalog product. Uploaded images have no file or URL: their reference
 * is {@code upload:<sha256 of the bytes>}, which also serves as their fingerprint.
 */
final class UploadedProducts {

  /** The reference prefix of uploaded images. */
  static final String UPLOAD_PREFIX = "upload:";

  private UploadedProducts() {}

  static IndexedProduct build(ProductUpload upload, List<ImageEmbedding> embeddings) {
    ProductFields f = upload.fields();
    List<String> shas = new ArrayList<>(upload.images().size());
    List<String> refs = new ArrayList<>(upload.images().size());
    for (byte[] bytes : upload.images()) {
      String sha = HexFormat.of().formatHex(sha256().digest(bytes));
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
    MessageDigest sync = sha256();
    update(sync, "clipsearch-upload-1");
    update(sync, json);
    MessageDigest content = sha256();
    update(content, "clipsearch-content-1");
    update(content, json);
    for (int i = 0; i < refs.size(); i++) {
      update(sync, refs.get(i));
      update(content, shas.get(i));
    }
    return new IndexedProduct(
        product,
        json,
        sync.digest(),
        HexFormat.of().formatHex(content.digest()),
        images,
        List.of());
  }

  /** Length-prefixed, so that ("ab", "c") and ("a", "bc") hash differently. */
  private static void update(MessageDigest digest, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    int n = bytes.length;
    digest.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    digest.update(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
