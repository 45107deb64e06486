package dev.clipsearch.indexer.index.search;

import dev.clipsearch.indexer.index.IndexMetadata;
import dev.clipsearch.indexer.index.IndexQueries;
import dev.clipsearch.indexer.index.IndexSchema;
import dev.clipsearch.indexer.index.ProductDocuments;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.VectorUtil;

/**
 * Reads what the index stores about products, given top-level doc ids of one searcher: ids and
 * facet values from doc values, display fields from doc values (or, in indexes written before
 * those, from the stored product JSON), image vectors and thumbnails from the product's image
 * documents (the documents of its block, before it).
 */
final class ProductReader {

  private static final Set<String> IMAGE_FIELDS =
      Set.of(IndexSchema.IMAGE_INDEX, IndexSchema.IMAGE_SOURCE);

  private final IndexMetadata metadata;

  ProductReader(IndexMetadata metadata) {
    this.metadata = metadata;
  }

  /** One image document of a product. */
  record ImageDoc(int doc, int index, String source) {}

  /** The image of a product closest to a query vector. */
  record BestImage(int imageDoc, double cosine) {}

  static LeafReaderContext leaf(IndexReader reader, int doc) {
    List<LeafReaderContext> leaves = reader.leaves();
    return leaves.get(ReaderUtil.subIndex(doc, leaves));
  }

  /**
   * The product documents holding image hits, aligned with {@code hits}: as {@link
   * IndexQueries#productDoc}, with each segment's parent bit set fetched once (the producer's cache
   * is a synchronized map, which concurrent searches would otherwise queue on once per hit).
   */
  static int[] productsOf(IndexReader reader, ScoreDoc[] hits) throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    BitSet[] parents = new BitSet[leaves.size()];
    int[] out = new int[hits.length];
    for (int i = 0; i < hits.length; i++) {
      int doc = hits[i].doc;
      int at = ReaderUtil.subIndex(doc, leaves);
      LeafReaderContext leaf = leaves.get(at);
      if (parents[at] == null) {
        parents[at] = IndexSchema.productsBitSet().getBitSet(leaf);
      }
      out[i] = leaf.docBase + parents[at].nextSetBit(doc - leaf.docBase);
    }
    return out;
  }

  /** The product document of an id, or -1. */
  int find(IndexSearcher searcher, String id) throws IOException {
    TopDocs top = searcher.search(IndexQueries.product(id), 1);
    return top.scoreDocs.length == 0 ? -1 : top.scoreDocs[0].doc;
  }

  /**
   * The first value of a keyword field for each of {@code docs} (null where absent), aligned with
   * {@code docs}. Reads each segment's doc values once, in doc order, as doc values want.
   */
  static String[] keywords(IndexReader reader, int[] docs, String field) throws IOException {
    return inDocOrder(
        reader,
        docs,
        leaf -> leaf.getSortedSetDocValues(field),
        (SortedSetDocValues values, int local, int doc) ->
            values != null && values.advanceExact(local)
                ? values.lookupOrd(values.nextOrd()).utf8ToString()
                : null,
        new String[docs.length]);
  }

  /** Opens a segment's doc values (null when it has none). */
  @FunctionalInterface
  private interface SegmentValues<V> {
    V open(LeafReader leaf) throws IOException;
  }

  /** The value of a document, by its id in the segment ({@code local}) and in the reader. */
  @FunctionalInterface
  private interface DocValue<V, T> {
    T read(V values, int local, int doc) throws IOException;
  }

  /**
   * One value per document of {@code docs}, aligned with them, read in doc order one segment after
   * another, as doc values want; a document listed again is read once.
   */
  private static <V, T> T[] inDocOrder(
      IndexReader reader, int[] docs, SegmentValues<V> segment, DocValue<V, T> value, T[] out)
      throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    LeafReaderContext leaf = null;
    V values = null;
    int lastDoc = -1;
    int previous = -1;
    for (long key : byDoc(docs)) {
      int doc = (int) (key >>> 32);
      int i = (int) key;
      if (leaf == null || doc >= leaf.docBase + leaf.reader().maxDoc()) {
        leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        values = segment.open(leaf.reader());
      }
      // The same document twice in a row (doc values cannot go back): its value again.
      out[i] = doc == lastDoc ? out[previous] : value.read(values, doc - leaf.docBase, doc);
      lastDoc = doc;
      previous = i;
    }
    return out;
  }

  /**
   * {@code docs} in doc order, each as {@code doc << 32 | position in docs}: a primitive sort, with
   * no boxing or comparator per comparison.
   */
  static long[] byDoc(int[] docs) {
    long[] keys = new long[docs.length];
    for (int i = 0; i < docs.length; i++) {
      if (docs[i] < 0) {
        throw new IllegalArgumentException("negative doc id " + docs[i]);
      }
      keys[i] = ((long) docs[i] << 32) | i;
    }
    Arrays.sort(keys);
    return keys;
  }

  /**
   * The display fields' JSON of each product document ({@value IndexSchema#HIT_SUMMARY}), aligned
   * with {@code productDocs}: read from doc values in doc order, one segment after another; a
   * segment written before that field existed gives the whole stored product JSON instead, which
   * {@code ProductJson.summary} reads the same way.
   */
  static String[] summaries(IndexReader reader, StoredFields stored, int[] productDocs)
      throws IOException {
    return inDocOrder(
        reader,
        productDocs,
        leaf -> leaf.getBinaryDocValues(IndexSchema.HIT_SUMMARY),
        (BinaryDocValues values, int local, int doc) ->
            values != null && values.advanceExact(local)
                ? values.binaryValue().utf8ToString()
                : json(stored, doc),
        new String[productDocs.length]);
  }

  /**
   * The catalog position of the image each image document holds ({@value
   * IndexSchema#IMAGE_POSITION}), aligned with {@code imageDocs}; read as {@link #summaries} reads,
   * from the stored {@value IndexSchema#IMAGE_INDEX} in segments written before the doc values.
   */
  static int[] imageIndexes(IndexReader reader, StoredFields stored, int[] imageDocs)
      throws IOException {
    Integer[] positions =
        inDocOrder(
            reader,
            imageDocs,
            leaf -> leaf.getNumericDocValues(IndexSchema.IMAGE_POSITION),
            (NumericDocValues values, int local, int doc) ->
                values != null && values.advanceExact(local)
                    ? (int) values.longValue()
                    : imageIndex(stored, doc),
            new Integer[imageDocs.length]);
    int[] out = new int[positions.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = positions[i];
    }
    return out;
  }

  /** The canonical product JSON stored with a product document. */
  static String json(StoredFields stored, int productDoc) throws IOException {
    Document doc = stored.document(productDoc, Set.of(IndexSchema.PRODUCT_JSON));
    String json = doc.get(IndexSchema.PRODUCT_JSON);
    if (json == null) {
      throw new IOException("product document " + productDoc + " has no stored product JSON");
    }
    return json;
  }

  /** A product document's zero-shot attributes ({@value IndexSchema#ATTRIBUTES_JSON}), or none. */
  Map<String, String> attributes(StoredFields stored, int productDoc) throws IOException {
    Document doc = stored.document(productDoc, Set.of(IndexSchema.ATTRIBUTES_JSON));
    return ProductDocuments.attributesFromJson(doc.get(IndexSchema.ATTRIBUTES_JSON));
  }

  /** The catalog position of the image an image document holds. */
  static int imageIndex(StoredFields stored, int imageDoc) throws IOException {
    Document doc = stored.document(imageDoc, Set.of(IndexSchema.IMAGE_INDEX));
    return doc.getField(IndexSchema.IMAGE_INDEX).numericValue().intValue();
  }

  /** The image documents of a product, in block (catalog) order. */
  List<ImageDoc> images(IndexSearcher searcher, int productDoc) throws IOException {
    int first = firstImageDoc(searcher.getIndexReader(), productDoc);
    List<ImageDoc> images = new ArrayList<>(productDoc - first);
    StoredFields stored = searcher.storedFields();
    for (int doc = first; doc < productDoc; doc++) {
      Document d = stored.document(doc, IMAGE_FIELDS);
      images.add(
          new ImageDoc(
              doc,
              d.getField(IndexSchema.IMAGE_INDEX).numericValue().intValue(),
              d.get(IndexSchema.IMAGE_SOURCE)));
    }
    return images;
  }

  /** The stored thumbnail of an image document, or null when the index keeps none. */
  byte[] thumbnail(IndexSearcher searcher, int imageDoc) throws IOException {
    Document d = searcher.storedFields().document(imageDoc, Set.of(IndexSchema.THUMBNAIL));
    BytesRef bytes = d.getBinaryValue(IndexSchema.THUMBNAIL);
    return bytes == null
        ? null
        : Arrays.copyOfRange(bytes.bytes, bytes.offset, bytes.offset + bytes.length);
  }

  /** The stored vectors of a product's images, in block order. */
  List<float[]> vectors(IndexReader reader, int productDoc) throws IOException {
    List<float[]> vectors = new ArrayList<>();
    forEachVector(reader, productDoc, (doc, v) -> vectors.add(v.clone()));
    return vectors;
  }

  /** The product's image closest to {@code query} (exact dot product on the stored vectors). */
  BestImage best(IndexReader reader, int productDoc, float[] query) throws IOException {
    double[] best = {Double.NEGATIVE_INFINITY};
    int[] bestDoc = {-1};
    forEachVector(
        reader,
        productDoc,
        (doc, v) -> {
          double cosine = VectorUtil.dotProduct(query, v);
          if (cosine > best[0]) {
            best[0] = cosine;
            bestDoc[0] = doc;
          }
        });
    return new BestImage(bestDoc[0], best[0]);
  }

  private interface VectorVisitor {
    void visit(int imageDoc, float[] vector) throws IOException;
  }

  private void forEachVector(IndexReader reader, int productDoc, VectorVisitor visitor)
      throws IOException {
    LeafReaderContext context = leaf(reader, productDoc);
    LeafReader leaf = context.reader();
    int parent = productDoc - context.docBase;
    int first = firstImageDoc(reader, productDoc) - context.docBase;
    FloatVectorValues values = leaf.getFloatVectorValues(metadata.vectorField());
    if (values == null) {
      return;
    }
    KnnVectorValues.DocIndexIterator iterator = values.iterator();
    for (int doc = first; doc < parent; doc++) {
      int at = iterator.docID() >= doc ? iterator.docID() : iterator.advance(doc);
      if (at == doc) {
        visitor.visit(context.docBase + doc, values.vectorValue(iterator.index()));
      }
    }
  }

  /** The first document of a product's block (its first image document). */
  static int firstImageDoc(IndexReader reader, int productDoc) throws IOException {
    LeafReaderContext context = leaf(reader, productDoc);
    BitSet parents = IndexSchema.productsBitSet().getBitSet(context);
    int parent = productDoc - context.docBase;
    int previous = parent == 0 ? -1 : parents.prevSetBit(parent - 1);
    return context.docBase + previous + 1;
  }
}
