package dev.clipsearch.searcher.service;

/** No product with this id is in the index (or it has no image with the asked index). */
public final class ProductNotFoundException extends RuntimeException {

  private final String productId;

  public ProductNotFoundException(String productId) {
    this(productId, "no product with id '" + productId + "'");
  }

  public ProductNotFoundException(String productId, String message) {
    super(message);
    this.productId = productId;
  }

  /** The id that was asked for. */
  public String productId() {
    return productId;
  }
}
