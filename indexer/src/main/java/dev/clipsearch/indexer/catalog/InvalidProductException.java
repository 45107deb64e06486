package dev.clipsearch.indexer.catalog;

import dev.clipsearch.indexer.report.FailureReason;

/**
 * A catalog entry that cannot become a {@link dev.clipsearch.common.catalog.Product}; the reader
 * turns it into a line error.
 */
public final class InvalidProductException extends Exception {

  private final FailureReason reason;
  private final String productId;

  public InvalidProductException(FailureReason reason, String productId, String message) {
    super(message);
    this.reason = reason;
    this.productId = productId;
  }

  public FailureReason reason() {
    return reason;
  }

  /** The product id when it could be read, else null. */
  public String productId() {
    return productId;
  }
}
