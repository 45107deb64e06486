package dev.clipsearch.searcher.service;

import dev.clipsearch.models.image.ImageDecodeException;

/**
 * An uploaded image cannot be used: empty, not an image, an unsupported format, corrupt or
 * truncated, or too many pixels (decompression bombs are refused from their header, before any
 * pixel is allocated), or too elongated to resize. The reason is the decode stage's, the one the
 * indexer reports too, so catalogs and uploads fail alike.
 */
public final class InvalidImageException extends RuntimeException {

  private final ImageDecodeException.Reason reason;

  public InvalidImageException(
      ImageDecodeException.Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why the image was refused. */
  public ImageDecodeException.Reason reason() {
    return reason;
  }
}
