package dev.clipsearch.indexer.store;

/**
 * A product a store search found, valid only within the {@link StoreView} that returned it.
 *
 * <p>The two handles are the store's own references (a Lucene store puts its document ids there),
 * so that reading the product's JSON, its matched image or its facet values later in the same view
 * needs no second lookup by id. Callers pass them back unchanged and never interpret them. Which
 * catalog image matched is read with {@link StoreView#load} for the products actually shown: a
 * ranking holds many more candidates than a page, and reading it for each would cost one stored
 * document per candidate.
 *
 * @param productId the product id
 * @param score cosine similarity of the best-matching image (vector searches, {@link
 *     StoreView#bestImage}), or the BM25 score (lexical search)
 * @param productHandle the store's reference to the product
 * @param imageHandle the store's reference to the best-matching image, or {@link #NO_IMAGE} when no
 *     image was compared (lexical search)
 */
public record ProductMatch(String productId, double score, long productHandle, long imageHandle) {

  /** {@link #imageHandle} of a match that compared no image. */
  public static final long NO_IMAGE = -1;

  /** Whether an image was compared, so that {@link StoreView#load} names the matched image. */
  public boolean hasImage() {
    return imageHandle != NO_IMAGE;
  }

  /** The same product with another score and best image (hybrid search's exact cosine). */
  public ProductMatch withImage(double newScore, long newImageHandle) {
    return new ProductMatch(productId, newScore, productHandle, newImageHandle);
  }
}
