package dev.clipsearch.searcher.api;

import dev.clipsearch.indexer.solr.SolrException;
import dev.clipsearch.indexer.solr.SolrModelMismatchException;
import dev.clipsearch.searcher.service.InvalidImageException;
import dev.clipsearch.searcher.service.InvalidQueryException;
import dev.clipsearch.searcher.service.ProductNotFoundException;
import dev.clipsearch.searcher.service.ServiceOverloadedException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.validation.ValidationError;
import io.javalin.validation.ValidationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become HTTP responses, all in the {@link ApiError} shape. Handlers
 * throw; nothing else writes an error body.
 *
 * <p>Bad input is a 4xx with a message naming what was wrong. A store that cannot be reached (a
 * SolrCloud collection with no live node or replica) is a 503 with {@code Retry-After}. Only an
 * unexpected exception is a 500, and its stack trace is logged under the request id that the
 * response returns.
 */
public final class ApiErrors {

  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

  private static final String CODE = "code";
  private static final String PARAMETER = "parameter";
  private static final String RETRY_AFTER = "retryAfter";

  private final long maxBodyBytes;

  ApiErrors(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Registers every exception mapping on the routes. */
  void register(RoutesConfig routes) {
    routes.exception(HttpResponseException.class, this::httpError);
    routes.exception(ValidationException.class, this::validationError);
    routes.exception(
        ProductNotFoundException.class,
        (e, ctx) -> write(ctx, 404, ErrorCodes.PRODUCT_NOT_FOUND, e.getMessage(), null, null));
    routes.exception(InvalidImageException.class, ApiErrors::invalidImage);
    routes.exception(
        InvalidQueryException.class,
        (e, ctx) ->
            write(ctx, 400, ErrorCodes.INVALID_PARAMETER, e.getMessage(), e.parameter(), null));
    routes.exception(ServiceOverloadedException.class, this::overloaded);
    routes.exception(Exception.class, this::unexpected);
  }

  /** 400 for a malformed or out-of-range parameter. */
  static HttpResponseException invalidParameter(String parameter, String message) {
    return new BadRequestResponse(
        message, Map.of(CODE, ErrorCodes.INVALID_PARAMETER, PARAMETER, parameter));
  }

  /** 400 for a missing required parameter. */
  static HttpResponseException missingParameter(String parameter, String message) {
    return new BadRequestResponse(
        message, Map.of(CODE, ErrorCodes.MISSING_PARAMETER, PARAMETER, parameter));
  }

  /** 400 for a body that is not the JSON or form the route expects. */
  static HttpResponseException malformedBody(String message) {
    return new BadRequestResponse(message, Map.of(CODE, ErrorCodes.MALFORMED_BODY));
  }

  /** Any status with an explicit code and, optionally, the parameter at fault. */
  static HttpResponseException error(HttpStatus status, String code, String message, String param) {
    Map<String, String> details = new HashMap<>();
    details.put(CODE, code);
    if (param != null) {
      details.put(PARAMETER, param);
    }
    return new HttpResponseException(status, message, details);
  }

  private void httpError(HttpResponseException e, Context ctx) {
    Map<String, String> details = e.getDetails();
    int status = e.getStatus();
    String code = details.getOrDefault(CODE, defaultCode(status));
    String message = e.getMessage();
    if (status == HttpStatus.METHOD_NOT_ALLOWED.getCode()) {
      message = "method " + ctx.method() + " is not allowed on " + ctx.path();
      String allowed = details.get("availableMethods");
      if (allowed != null) {
        ctx.header("Allow", allowed.replaceAll("[\\[\\]]", ""));
      }
    } else if (status == HttpStatus.NOT_FOUND.getCode() && !details.containsKey(CODE)) {
      message = "no route for " + ctx.method() + " " + ctx.path();
    } else if (status == HttpStatus.CONTENT_TOO_LARGE.getCode() && !details.containsKey(CODE)) {
      message = "the request body exceeds the limit of " + maxBodyBytes + " bytes";
    }
    if (details.containsKey(RETRY_AFTER)) {
      ctx.header("Retry-After", details.get(RETRY_AFTER));
    }
    write(ctx, status, code, message, details.get(PARAMETER), null);
  }

  private void validationError(ValidationException e, Context ctx) {
    Map.Entry<String, List<ValidationError<Object>>> first =
        e.getErrors().entrySet().iterator().next();
    String parameter = first.getKey();
    ValidationError<Object> error = first.getValue().getFirst();
    String given = error.value == null ? null : String.valueOf(error.value);
    switch (error.getMessage()) {
      case "NULLCHECK_FAILED" ->
          write(
              ctx,
              400,
              ErrorCodes.MISSING_PARAMETER,
              "parameter '" + parameter + "' is required",
              parameter,
              null);
      case "TYPE_CONVERSION_FAILED" ->
          write(
              ctx,
              400,
              ErrorCodes.INVALID_PARAMETER,
              "parameter '" + parameter + "' must be a number, got '" + given + "'",
              parameter,
              null);
      default ->
          write(
              ctx,
              400,
              ErrorCodes.INVALID_PARAMETER,
              "parameter '" + parameter + "' " + error.getMessage() + ", got '" + given + "'",
              parameter,
              null);
    }
  }

  /**
   * An unusable upload: 415 for a format no decoder reads (or an image too elongated to resize),
   * 400 for the rest (empty, corrupt or truncated, too many pixels); the code is the decode
   * reason's, the one the indexer reports too ({@code corrupt_image}, {@code too_many_pixels},
   * ...), so uploads and catalogs fail alike. Uploads over the byte cap are refused (413) before
   * decoding.
   */
  private static void invalidImage(InvalidImageException e, Context ctx) {
    int status =
        switch (e.reason()) {
          case UNSUPPORTED_FORMAT -> 415;
          case EMPTY, CORRUPT, TOO_MANY_PIXELS -> 400;
        };
    write(ctx, status, e.reason().code(), e.getMessage(), null, null);
  }

  private void overloaded(ServiceOverloadedException e, Context ctx) {
    long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
    ctx.header("Retry-After", Long.toString(seconds));
    write(ctx, 503, ErrorCodes.OVERLOADED, e.getMessage(), null, null);
  }

  private void unexpected(Exception e, Context ctx) {
    HttpException clientError = clientErrorCause(e);
    if (clientError != null) {
      // Jetty refused the request while parsing it (a multipart body over its limits, a malformed
      // one): the client's fault, not a bug.
      boolean tooLarge =
          clientError.getCode() == 413 || String.valueOf(rootMessage(e)).contains("exceeded");
      write(
          ctx,
          tooLarge ? 413 : 400,
          tooLarge ? ErrorCodes.PAYLOAD_TOO_LARGE : ErrorCodes.MALFORMED_BODY,
          tooLarge
              ? "the request body exceeds the limit of " + maxBodyBytes + " bytes"
              : "the request body is malformed: " + clientError.getReason(),
          null,
          null);
      return;
    }
    String requestId = RequestIds.of(ctx);
    SolrException store = storeUnavailableCause(e);
    if (store != null) {
      // The store's engine is down or has no live copy of some data: the server is fine and will
      // answer again when it returns, so this is 503, not a bug.
      LOG.warn(
          "request {} ({} {}): the store is unavailable: {}",
          requestId,
          ctx.method(),
          ctx.path(),
          store.getMessage());
      ctx.header("Retry-After", "1");
      write(
          ctx,
          503,
          ErrorCodes.UNAVAILABLE,
          "the search store is unavailable; try again later (the server log has the details under"
              + " request id "
              + requestId
              + ")",
          null,
          requestId);
      return;
    }
    LOG.error("request {} failed: {} {}", requestId, ctx.method(), ctx.path(), e);
    write(
        ctx,
        500,
        ErrorCodes.INTERNAL_ERROR,
        "internal error; the server log has the details under request id " + requestId,
        null,
        requestId);
  }

  /**
   * A SolrCloud failure somewhere in the cause chain that is no fault of the request: no node
   * reachable (status 0) or a 5xx (no live replica of a shard, a node shutting down); null if none.
   */
  static SolrException storeUnavailableCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SolrException solr
          && !(solr instanceof SolrModelMismatchException)
          && (solr.status() == 0 || solr.status() >= 500)) {
        return solr;
      }
    }
    return null;
  }

  /** Jetty's own "bad request" exception somewhere in the cause chain, if any. */
  private static HttpException clientErrorCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
        return http;
      }
    }
    return null;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  private static void write(
      Context ctx, int status, String code, String message, String parameter, String requestId) {
    String id = requestId != null ? requestId : RequestIds.of(ctx);
    if (status == 413) {
      // The rest of an oversized body may still be on the wire: close the connection rather than
      // let the client reuse it (RFC 9110, 15.5.14).
      ctx.header("Connection", "close");
    }
    ctx.status(status).json(ApiError.of(status, code, message, parameter, id));
  }

  private static String defaultCode(int status) {
    return switch (status) {
      case 400 -> ErrorCodes.INVALID_PARAMETER;
      case 401 -> ErrorCodes.UNAUTHORIZED;
      case 404 -> ErrorCodes.NOT_FOUND;
      case 405 -> ErrorCodes.METHOD_NOT_ALLOWED;
      case 413 -> ErrorCodes.PAYLOAD_TOO_LARGE;
      case 415 -> ErrorCodes.UNSUPPORTED_MEDIA_TYPE;
      case 431 -> ErrorCodes.HEADERS_TOO_LARGE;
      case 503 -> ErrorCodes.UNAVAILABLE;
      default -> ErrorCodes.HTTP_ERROR;
    };
  }
}
