package dev.clipsearch.indexer.index;

import dev.clipsearch.indexer.report.ImageFailure;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.StoredProduct;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.BytesRef;

/**
 * A product as the embedded index holds it, found through an {@link IndexSnapshot}: the sync key
 * and failed-image count from doc values, the rest (JSON, images with their stored vectors and
 * thumbnails) read on demand from its block while the snapshot is open.
 */
public final class LuceneStoredProduct implements StoredProduct {

  private final String id;
  private final byte[] syncKey;
  private final int failedImages;
  private final LeafReader leaf;
  private final int parentDoc;
  private final int firstChildDoc;
  private final String vectorField;

  LuceneStoredProduct(
      String id,
      byte[] syncKey,
      int failedImages,
      LeafReader leaf,
      int parentDoc,
      BitSet parents,
      String vectorField) {
    this.id = id;
    this.syncKey = syncKey;
    this.failedImages = failedImages;
    this.leaf = leaf;
    this.parentDoc = parentDoc;
    this.firstChildDoc = parentDoc == 0 ? 0 : parents.prevSetBit(parentDoc - 1) + 1;
    this.vectorField = vectorField;
  }

  @Override
  public String id() {
    return id;
  }

  /** The sync key written with this version (see {@link IndexSchema#SYNC_KEY}). */
  @Override
  public byte[] syncKey() {
    return syncKey.clone();
  }

  /** How many of its images failed when it was indexed. */
  @Override
  public int failedImages() {
    return failedImages;
  }

  /** The stored product document (id, canonical JSON, content hash, image errors…). */
  public Document document() throws IOException {
    return leaf.storedFields().document(parentDoc);
  }

  /** The canonical product JSON that was indexed. */
  @Override
  public String json() throws IOException {
    return document().get(IndexSchema.PRODUCT_JSON);
  }

  /** The stored content hash. */
  @Override
  public String contentHash() throws IOException {
    return document().get(IndexSchema.CONTENT_HASH);
  }

  /** Its images in catalog order, with their exact float vectors and thumbnails. */
  @Override
  public List<IndexedImage> images() throws IOException {
    StoredFields stored = leaf.storedFields();
    FloatVectorValues vectors = leaf.getFloatVectorValues(vectorField);
    KnnVectorValues.DocIndexIterator iterator = vectors == null ? null : vectors.iterator();
    List<IndexedImage> images = new ArrayList<>(parentDoc - firstChildDoc);
    for (int doc = firstChildDoc; doc < parentDoc; doc++) {
      if (iterator == null || iterator.advance(doc) != doc) {
        throw new IOException("image document " + doc + " of product " + id + " has no vector");
      }
      float[] vector = vectors.vectorValue(iterator.index()).clone();
      Document d = stored.document(doc);
      BytesRef thumbnail = d.getBinaryValue(IndexSchema.THUMBNAIL);
      images.add(
          new IndexedImage(
              d.getField(IndexSchema.IMAGE_INDEX).numericValue().intValue(),
              d.get(IndexSchema.IMAGE_SOURCE),
              d.get(IndexSchema.IMAGE_FINGERPRINT),
              d.get(IndexSchema.IMAGE_SHA256),
              vector,
              d.getField(IndexSchema.IMAGE_WIDTH).numericValue().intValue(),
              d.getField(IndexSchema.IMAGE_HEIGHT).numericValue().intValue(),
              thumbnail == null
                  ? null
                  : Arrays.copyOfRange(
                      thumbnail.bytes, thumbnail.offset, thumbnail.offset + thumbnail.length)));
    }
    return images;
  }

  /** Its zero-shot attributes, from {@value IndexSchema#ATTRIBUTES_JSON}. */
  @Override
  public Map<String, String> facetAttributes() throws IOException {
    return ProductDocuments.attributesFromJson(document().get(IndexSchema.ATTRIBUTES_JSON));
  }

  /** Its failed images, from {@value IndexSchema#IMAGE_ERRORS}. */
  @Override
  public List<ImageFailure> imageErrors() throws IOException {
    return ProductDocuments.imageErrorsFromJson(id, document().get(IndexSchema.IMAGE_ERRORS));
  }
}
