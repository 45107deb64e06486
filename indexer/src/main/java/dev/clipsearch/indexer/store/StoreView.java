package dev.clipsearch.indexer.store;

import java.util.List;
import java.util.Optional;

/**
 * One consistent, point-in-time state of a {@link SearchStore}, acquired for one request and closed
 * at its end: every call on it sees the same products, whatever is written meanwhile. A view is
 * used by one thread; its {@link ProductMatch} and {@link ImageRecord} handles are valid only on
 * it.
 *
 * <p>Rankings are best first with equal scores ordered by product id, so results are deterministic.
 * Failures to read the store are {@link java.io.UncheckedIOException}s naming the store.
 */
public interface StoreView extends AutoCloseable {

  /**
   * The {@code k} products whose images are nearest to {@code vector}, each product once, scored by
   * its best-matching image (the cosine similarity: vectors are unit length). {@code filter} is
   * applied inside the vector search, so a selective filter still yields {@code k} products when
   * that many match.
   */
  List<ProductMatch> knn(float[] vector, int k, ProductFilter filter);

  /**
   * The {@code k} best products for a text by BM25 over title, brand, category and description,
   * using at most {@code maxTerms} distinct terms of the text; empty when the text has no
   * searchable term. Matches carry no image.
   */
  List<ProductMatch> lexical(String text, int maxTerms, int k, ProductFilter filter);

  /**
   * The same product scored exactly by its image closest to {@code vector} (cosine of the stored
   * vectors), for products found without a vector comparison.
   */
  ProductMatch bestImage(ProductMatch match, float[] vector);

  /**
   * The display fields (see {@link MatchedProduct#json}) and matched image of each match, in order.
   */
  List<MatchedProduct> load(List<ProductMatch> matches);

  /**
   * Counts {@code facets} (names from {@link FacetCounts}, or from {@link #attributeFacets()}) over
   * {@code matches}, at most {@code limit} values per facet.
   */
  FacetCounts facets(List<ProductMatch> matches, List<String> facets, int limit);

  /**
   * The attribute facets the store holds values of ({@code attr.color}, {@code attr.material}…,
   * sorted), which {@link #facets} can count: those {@code clipsearch tag} wrote. The default suits
   * a store that keeps no attributes.
   */
  default List<String> attributeFacets() {
    return List.of();
  }

  /** Whether a product with this id is stored. */
  boolean contains(String id);

  /** The stored product, or empty when there is none with this id. */
  Optional<ProductRecord> product(String id);

  /**
   * A product's stored images in catalog order (without its JSON), or empty when there is no
   * product with this id.
   */
  Optional<List<ImageRecord>> images(String id);

  /** An image's stored thumbnail, or empty when the store keeps none. */
  Optional<Thumbnail> thumbnail(ImageRecord image);

  /**
   * The vectors of a product's images in catalog order (what "more like this" searches from), or
   * empty when there is no product with this id.
   */
  Optional<List<float[]>> imageVectors(String id);

  /** Releases the state this view holds. */
  @Override
  void close();
}
