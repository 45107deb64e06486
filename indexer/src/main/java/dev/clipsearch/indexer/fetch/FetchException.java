package dev.clipsearch.indexer.fetch;

import dev.clipsearch.indexer.report.FailureReason;

/** Image bytes could not be obtained; the message names the file or URL. */
public final class FetchException extends Exception {

  private final FailureReason reason;

  public FetchException(FailureReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public FetchException(FailureReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** One of the image-scope reasons: file not found, HTTP error, network error, too large, … */
  public FailureReason reason() {
    return reason;
  }
}
