package dev.clipsearch.indexer.index;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.indexer.store.IndexedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.lucene.document.DoubleField;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.join.DiversifyingChildrenFloatKnnVectorQuery;
import org.apache.lucene.search.join.ScoreMode;
import org.apache.lucene.search.join.ToChildBlockJoinQuery;
import org.apache.lucene.search.join.ToParentBlockJoinQuery;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.BytesRef;

/**
 * How to query a clipsearch index: the building blocks a searcher needs, so that field names and
 * the block structure stay in one module. All filters here apply to product documents; {@link #knn}
 * turns them into a pre-filter on image documents inside the HNSW search.
 */
public final class IndexQueries {

  private IndexQueries() {}

  /**
   * Vector search over image vectors that returns each product at most once, as its best-matching
   * image document, scored by that image (Lucene's {@code DiversifyingChildrenFloatKnnVectorQuery}:
   * diversification happens inside the graph search, so {@code k} hits are {@code k} distinct
   * products). With DOT_PRODUCT on unit vectors Lucene's score is {@code (1 + cosine) / 2}.
   *
   * <p>The hits are image documents: use {@link #productDoc} to reach the product document, and the
   * hit's own stored fields to say which image matched.
   *
   * @param productFilter restricts the products (brand, category, price, tags…), applied as a
   *     pre-filter inside the KNN search so that a selective filter still yields {@code k} hits
   *     when {@code k} products match; null for none
   */
  public static Query knn(IndexMetadata metadata, float[] vector, int k, Query productFilter) {
    Query imageFilter =
        productFilter == null
            ? null
            : new ToChildBlockJoinQuery(onlyProducts(productFilter), IndexSchema.productsBitSet());
    return new DiversifyingChildrenFloatKnnVectorQuery(
        metadata.vectorField(), vector, imageFilter, k, IndexSchema.productsBitSet());
  }

  /**
   * {@link #knn} lifted onto product documents (each scored by its best image), for callers that
   * want product hits directly, e.g. to combine with BM25 clauses or to collect facets.
   */
  public static Query knnProducts(
      IndexMetadata metadata, float[] vector, int k, Query productFilter) {
    return new ToParentBlockJoinQuery(
        knn(metadata, vector, k, productFilter), IndexSchema.productsBitSet(), ScoreMode.Max);
  }

  /** The product document that holds an image document (both are top-level doc ids). */
  public static int productDoc(IndexReader reader, int imageDoc) throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(imageDoc, leaves));
    BitSet parents = IndexSchema.productsBitSet().getBitSet(leaf);
    return leaf.docBase + parents.nextSetBit(imageDoc - leaf.docBase);
  }

  /** The product document of an id (matches no image document). */
  public static Query product(String id) {
    return onlyProducts(new TermQuery(new Term(IndexSchema.ID, id)));
  }

  /**
   * Every product but this one: the filter of a "more like this" search, combined with others by
   * {@link #allOf}.
   */
  public static Query excludingProduct(String id) {
    return new BooleanQuery.Builder()
        .add(IndexSchema.productsQuery(), BooleanClause.Occur.FILTER)
        .add(new TermQuery(new Term(IndexSchema.ID, id)), BooleanClause.Occur.MUST_NOT)
        .build();
  }

  /**
   * Products in {@code category} or below it: {@code "Clothing > Shoes"} or {@code
   * "Clothing>Shoes"}.
   */
  public static Query categoryPrefix(String category) {
    List<String> ancestors = Product.ancestorsOf(category);
    if (ancestors.isEmpty()) {
      return new MatchNoDocsQuery("empty category");
    }
    return new TermQuery(new Term(IndexSchema.CATEGORY_PATH, ancestors.get(ancestors.size() - 1)));
  }

  /** Products of any of these brands (exact, case-sensitive as in the catalog). */
  public static Query brands(Collection<String> brands) {
    return KeywordField.newSetQuery(IndexSchema.BRAND, bytes(brands));
  }

  /** Products carrying any of these tags. */
  public static Query tags(Collection<String> tags) {
    return KeywordField.newSetQuery(IndexSchema.TAGS, bytes(tags));
  }

  /** Products whose zero-shot attribute {@code name} has any of these values. */
  public static Query attribute(String name, Collection<String> values) {
    return KeywordField.newSetQuery(IndexSchema.attributeField(name), bytes(values));
  }

  /** Products priced within [min, max]; a null bound is open. */
  public static Query priceRange(Double min, Double max) {
    return DoubleField.newRangeQuery(
        IndexSchema.PRICE,
        min == null ? Double.NEGATIVE_INFINITY : min,
        max == null ? Double.POSITIVE_INFINITY : max);
  }

  /** Products matching every given filter (nulls ignored); null when there is none. */
  public static Query allOf(Query... filters) {
    BooleanQuery.Builder builder = new BooleanQuery.Builder();
    int count = 0;
    for (Query filter : filters) {
      if (filter != null) {
        builder.add(filter, BooleanClause.Occur.FILTER);
        count++;
      }
    }
    return count == 0 ? null : builder.build();
  }

  /**
   * The stored vectors of a product's images ("more like this" starts from these), in catalog
   * order; empty when the product is not in the index.
   */
  public static List<float[]> imageVectors(
      DirectoryReader reader, IndexMetadata metadata, String id) throws IOException {
    LuceneStoredProduct product = IndexSnapshot.view(reader, metadata).find(id);
    if (product == null) {
      return List.of();
    }
    List<float[]> vectors = new ArrayList<>();
    for (IndexedImage image : product.images()) {
      vectors.add(image.vector());
    }
    return vectors;
  }

  private static Query onlyProducts(Query query) {
    return new BooleanQuery.Builder()
        .add(query, BooleanClause.Occur.MUST)
        .add(IndexSchema.productsQuery(), BooleanClause.Occur.FILTER)
        .build();
  }

  private static List<BytesRef> bytes(Collection<String> values) {
    return values.stream().map(BytesRef::new).toList();
  }
}
