package dev.clipsearch.searcher.api;

/** The stable {@code code} values of {@link ApiError}; clients may switch on them. */
public final class ErrorCodes {

  private ErrorCodes() {}

  /** A parameter is malformed or out of range; {@code parameter} names it. */
  public static final String INVALID_PARAMETER = "invalid_parameter";

  /** A required parameter is missing; {@code parameter} names it. */
  public static final String MISSING_PARAMETER = "missing_parameter";

  /** The request body is not valid JSON or not the expected shape. */
  public static final String MALFORMED_BODY = "malformed_body";

  /**
   * The upload holds no bytes. Other unusable images are refused with the decode reason's code
   * ({@code ImageDecodeException.Reason#code()}, the indexer report's too): {@code
   * unsupported_format} (415), {@code corrupt_image}, {@code too_many_pixels} (400).
   */
  public static final String EMPTY_IMAGE = "empty_image";

  /** The body's media type, or the uploaded image's format, is not supported. */
  public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";

  /** The body or the uploaded image exceeds the size limit. */
  public static final String PAYLOAD_TOO_LARGE = "payload_too_large";

  /** The request line or headers exceed Jetty's limits. */
  public static final String HEADERS_TOO_LARGE = "request_headers_too_large";

  /** No such route. */
  public static final String NOT_FOUND = "not_found";

  /** No product with the given id, or no image with the given index. */
  public static final String PRODUCT_NOT_FOUND = "product_not_found";

  /** The original image file of a product is not available to this server. */
  public static final String IMAGE_NOT_AVAILABLE = "image_not_available";

  /** Admin routes are off because the server was started without an admin token. */
  public static final String ADMIN_DISABLED = "admin_disabled";

  /** The route exists, but not for this method. */
  public static final String METHOD_NOT_ALLOWED = "method_not_allowed";

  /** Admin route without a valid bearer token. */
  public static final String UNAUTHORIZED = "unauthorized";

  /** The model's queue is full; retry after the {@code Retry-After} header. */
  public static final String OVERLOADED = "overloaded";

  /** The server is starting or stopping. */
  public static final String UNAVAILABLE = "unavailable";

  /** A bug or an environment failure; the stack trace is in the server log under the request id. */
  public static final String INTERNAL_ERROR = "internal_error";

  /** Any other HTTP error raised by the framework. */
  public static final String HTTP_ERROR = "http_error";
}
