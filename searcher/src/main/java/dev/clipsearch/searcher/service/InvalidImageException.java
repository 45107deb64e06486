package dev.clipsearch.searcher.service;

import dev.clipsearch.indexer.report.FailureReason;

/**
 * An uploaded image cannot be used: empty, not an image, an unsupported format, corrupt or
 * truncated, or too many pixels (decompression bombs are refused from their header, before any
 * pixel is allocated). The reason is the indexer's, so catalogs and uploads fail alike.
 */
public final class InvalidImageException extends RuntimeException {

  private final FailureReason reason;

  public InvalidImageException(FailureReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why the image was refused. */
  public FailureReason reason() {
    return reason;
  }
}
