package dev.clipsearch.searcher.api;

/**
 * The body of every error response: {@code {"error": {...}}}.
 *
 * @param error what went wrong
 */
public record ApiError(Detail error) {

  /**
   * @param status the HTTP status, repeated for clients that only see the body
   * @param code a stable machine-readable code, e.g. {@code invalid_parameter}
   * @param message what went wrong, for people
   * @param parameter the request parameter at fault, when one is
   * @param requestId the request's id, also in the {@code X-Request-Id} header and in the server
   *     log
   */
  public record Detail(
      int status, String code, String message, String parameter, String requestId) {}

  /** Builds an error body. */
  public static ApiError of(
      int status, String code, String message, String parameter, String requestId) {
    return new ApiError(new Detail(status, code, message, parameter, requestId));
  }
}
