package dev.clipsearch.common.catalog;

/**
 * A product's JSON that cannot become a {@link Product}: the message names the field and what was
 * wrong with it, and {@link #productId()} the product when its id could be read.
 */
public final class ProductFormatException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String productId;
  private final boolean missingId;

  private ProductFormatException(String productId, boolean missingId, String message) {
    super(message);
    this.productId = productId;
    this.missingId = missingId;
  }

  /** The id is absent, blank or not a string or an integer. */
  static ProductFormatException missingId(String message) {
    return new ProductFormatException(null, true, message);
  }

  /** A field of the product {@code productId} (null when unknown) is unusable. */
  static ProductFormatException invalidField(String productId, String message) {
    return new ProductFormatException(productId, false, message);
  }

  /** The product id when it could be read, else null. */
  public String productId() {
    return productId;
  }

  /** Whether the product has no usable id (rather than an unusable other field). */
  public boolean missingId() {
    return missingId;
  }
}
