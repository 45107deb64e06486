package dev.clipsearch.models.image;

/**
 * An image that cannot be turned into pixels, with the reason (for per-reason failure counts) and
 * the name of its source (a file, a URL, a product id) in the message.
 */
public final class ImageDecodeException extends Exception {

  /** Why an image was rejected. */
  public enum Reason {
    /** Zero bytes. */
    EMPTY("empty_image", "empty file"),
    /**
     * Not JPEG, PNG, GIF, WebP, TIFF or BMP, a pixel layout the decoder does not handle, or an
     * image so elongated that its long side cannot be resized.
     */
    UNSUPPORTED_FORMAT("unsupported_format", "not a supported image format"),
    /** Damaged or cut short: the decoder failed or the pixel data is incomplete. */
    CORRUPT("corrupt_image", "corrupt or truncated image"),
    /** The header claims more pixels than {@link ImageLimits#maxPixels()}. */
    TOO_MANY_PIXELS("too_many_pixels", "too many pixels");

    private final String code;
    private final String description;

    Reason(String code, String description) {
      this.code = code;
      this.description = description;
    }

    /**
     * The stable machine name, such as {@code corrupt_image}: the code of the HTTP API's error and
     * of the indexer report's failure reason alike, so uploads and catalogs fail with one name.
     */
    public String code() {
      return code;
    }

    /** A short human-readable description, such as "corrupt or truncated image". */
    public String description() {
      return description;
    }
  }

  private final Reason reason;
  private final String sourceName;

  /**
   * @param reason why the image was rejected
   * @param sourceName the file, URL or product the bytes came from
   * @param detail what exactly was found, for the message
   */
  public ImageDecodeException(Reason reason, String sourceName, String detail) {
    this(reason, sourceName, detail, null);
  }

  /**
   * @param reason why the image was rejected
   * @param sourceName the file, URL or product the bytes came from
   * @param detail what exactly was found, for the message
   * @param cause the decoder's exception, if any
   */
  public ImageDecodeException(Reason reason, String sourceName, String detail, Throwable cause) {
    super(sourceName + ": " + reason.description() + (detail == null ? "" : ": " + detail), cause);
    this.reason = reason;
    this.sourceName = sourceName;
  }

  /** Why the image was rejected. */
  public Reason reason() {
    return reason;
  }

  /** The file, URL or product the bytes came from. */
  public String sourceName() {
    return sourceName;
  }
}
