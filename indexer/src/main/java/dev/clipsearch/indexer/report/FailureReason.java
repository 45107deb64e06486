package dev.clipsearch.indexer.report;

import dev.clipsearch.models.image.ImageDecodeException;
import java.util.Locale;

/**
 * Why a catalog line, a product or one of its images was not indexed. Every per-item failure of a
 * run carries exactly one reason; the end-of-run tally and the JSON report count by {@link
 * #code()}.
 */
public enum FailureReason {
  // The catalog line itself.
  /** The line is not valid JSON / CSV, or is longer than the line limit. */
  MALFORMED_LINE(Scope.PRODUCT, "malformed catalog line"),
  /** The line has no usable {@code id}. */
  MISSING_ID(Scope.PRODUCT, "missing id"),
  /** An earlier line of the same catalog has the same id; the first one wins. */
  DUPLICATE_ID(Scope.PRODUCT, "duplicate id"),
  /** A known field has a value of the wrong kind, e.g. a price that is not a number. */
  INVALID_FIELD(Scope.PRODUCT, "invalid field"),
  /** The product lists no image at all. */
  NO_IMAGES(Scope.PRODUCT, "no images listed"),

  // One image of a product.
  /** The image reference is neither a path nor an http(s) URL. */
  UNSUPPORTED_SOURCE(Scope.IMAGE, "unsupported image reference"),
  /** A local image file does not exist (or is not a regular file). */
  FILE_NOT_FOUND(Scope.IMAGE, "file not found"),
  /** A local image file exists but cannot be read. */
  FILE_UNREADABLE(Scope.IMAGE, "file unreadable"),
  /** The server answered with an error status (after retries where a retry made sense). */
  HTTP_ERROR(Scope.IMAGE, "HTTP error"),
  /** Connection refused, unknown host, timeout: the URL could not be fetched. */
  NETWORK_ERROR(Scope.IMAGE, "network error"),
  /** The image is larger than the configured byte cap. */
  TOO_LARGE(Scope.IMAGE, "file too large"),
  /** Zero bytes. */
  EMPTY_IMAGE(Scope.IMAGE, "empty file"),
  /**
   * Not an image, an image format no decoder on the class path reads, or an image too elongated to
   * resize.
   */
  UNSUPPORTED_FORMAT(Scope.IMAGE, "not a supported image format"),
  /** A truncated or otherwise damaged image. */
  CORRUPT_IMAGE(Scope.IMAGE, "corrupt or truncated image"),
  /** Its header declares more pixels than the limit (decompression bombs); never allocated. */
  TOO_MANY_PIXELS(Scope.IMAGE, "too many pixels"),

  // The product as a whole, after its images.
  /** Every image of the product failed; the product is not indexed. */
  NO_USABLE_IMAGE(Scope.PRODUCT, "no usable image"),
  /** The model failed on the batch that held this product's images. */
  ENCODE_FAILED(Scope.PRODUCT, "encoding failed"),
  /** An unexpected error (a bug); the message holds the exception. */
  INTERNAL_ERROR(Scope.PRODUCT, "internal error");

  /** Whether a reason describes a whole product (or line) or one image of a product. */
  public enum Scope {
    PRODUCT,
    IMAGE
  }

  private final Scope scope;
  private final String description;

  FailureReason(Scope scope, String description) {
    this.scope = scope;
    this.description = description;
  }

  /**
   * The report's reason for an image the decode stage refused: the one place where the models
   * module's reasons become the indexer's. Each keeps its {@linkplain
   * ImageDecodeException.Reason#code() code}.
   */
  public static FailureReason of(ImageDecodeException.Reason reason) {
    return switch (reason) {
      case EMPTY -> EMPTY_IMAGE;
      case UNSUPPORTED_FORMAT -> UNSUPPORTED_FORMAT;
      case CORRUPT -> CORRUPT_IMAGE;
      case TOO_MANY_PIXELS -> TOO_MANY_PIXELS;
    };
  }

  /** The stable machine name used in reports: {@code corrupt_image}, {@code duplicate_id}, … */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A few words for people. */
  public String description() {
    return description;
  }

  public Scope scope() {
    return scope;
  }
}
