package dev.clipsearch.searcher.service;

/**
 * What the search server can answer, independent of HTTP. Implementations are thread-safe.
 *
 * <p>Methods throw {@link ProductNotFoundException} for an unknown product, {@link
 * ServiceOverloadedException} when the model's queue is full, and {@link InvalidImageException} for
 * an upload that is not a usable image. Requests are valid by construction (their records check
 * their invariants); the HTTP layer turns malformed input into 400s before building them.
 */
public interface SearchService {

  /** Ranks products for a text query. */
  SearchResult search(TextSearch search);

  /** Ranks products by similarity to an example image. */
  SearchResult searchByImage(ImageSearch search);

  /** Ranks products by similarity to a product's own images, the product itself excluded. */
  SearchResult similar(SimilarSearch search);

  /**
   * Ranks products for a query of weighted parts (texts, products, images); the products named in
   * it are excluded. An unknown product is a {@link ProductNotFoundException} and an unusable image
   * an {@link InvalidImageException}, each naming the part ({@code parts[i]}, counted from 0);
   * parts that cancel each other out are an {@link InvalidQueryException}.
   */
  SearchResult composedSearch(ComposedSearch search);

  /** Zero-shot classification of an image against labels. */
  Classification classify(ClassifyRequest request);

  /** The stored details of one product. */
  ProductDetails product(String id);

  /** The stored thumbnail of one of a product's images. */
  StoredImage thumbnail(String id, int image);

  /**
   * Where the original file of one of a product's images is; {@link ProductNotFoundException} when
   * the product, the image or its original is not available.
   */
  OriginalImage originalImage(String id, int image);

  /** Readiness and sizes, cheap enough to call on every health check. */
  ServiceStatus status();
}
