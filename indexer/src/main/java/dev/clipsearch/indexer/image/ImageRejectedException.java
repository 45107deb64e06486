package dev.clipsearch.indexer.image;

import dev.clipsearch.indexer.report.FailureReason;

/** The bytes of an image are not usable; the message names the file or URL. */
public final class ImageRejectedException extends Exception {

  private final FailureReason reason;

  public ImageRejectedException(FailureReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Empty file, unsupported format, corrupt image or too many pixels. */
  public FailureReason reason() {
    return reason;
  }
}
