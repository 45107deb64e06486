package dev.clipsearch.models.hub;

import dev.clipsearch.models.hub.ModelFetchException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/**
 * How one download attempt failed, sorted into what the retry loop does next: a {@link
 * TransientFailure} (connection failures, resets, timeouts, 408, 429, 5xx) is tried again, a {@link
 * RestartFromZero} discards the part and starts over, a {@link ModelFetchException} ends the
 * download with a message naming the host and the file.
 */
final class DownloadFailures {

  private final HubConfig config;

  DownloadFailures(HubConfig config) {
    this.config = config;
  }

  /** A failed attempt that may succeed if tried again. */
  static final class TransientFailure extends Exception {
    final Reason finalReason;
    final Optional<Duration> retryAfter;

    TransientFailure(Reason finalReason, String message, Optional<Duration> retryAfter) {
      super(message, null, false, false);
      this.finalReason = finalReason;
      this.retryAfter = retryAfter;
    }
  }

  /** The previous part cannot be resumed; start again from byte 0 (not counted as an attempt). */
  static final class RestartFromZero extends Exception {
    RestartFromZero(String message) {
      super(message, null, false, false);
    }
  }

  /** Throws {@code e} if it is one of the checked outcomes of an attempt. */
  static IllegalStateException propagate(Exception e)
      throws TransientFailure, RestartFromZero, ModelFetchException {
    if (e instanceof TransientFailure t) {
      throw t;
    }
    if (e instanceof RestartFromZero r) {
      throw r;
    }
    if (e instanceof ModelFetchException m) {
      throw m;
    }
    return new IllegalStateException(e);
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof ExecutionException || t instanceof CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** The outcome of an attempt that ended in {@code t}, with the host and the file named. */
  Exception classify(Throwable t, URI uri, RemoteFile file) {
    String where = HubRequests.host(uri);
    if (t instanceof ModelFetchException || t instanceof RestartFromZero) {
      return (Exception) t;
    }
    if (t instanceof FileBodySubscriber.BodyTooLongException tooLong) {
      return new ModelFetchException(
          Reason.CORRUPT,
          where + " sent more than the expected " + tooLong.limit + " bytes of " + file.path());
    }
    if (hasCause(t, UnresolvedAddressException.class) || hasCause(t, UnknownHostException.class)) {
      return new ModelFetchException(
          Reason.UNREACHABLE, "cannot reach " + where + ": unknown host", t);
    }
    if (t instanceof HttpConnectTimeoutException) {
      return new TransientFailure(
          Reason.UNREACHABLE,
          "cannot reach "
              + where
              + ": no connection within "
              + config.connectTimeout().toSeconds()
              + " s",
          Optional.empty());
    }
    if (t instanceof ConnectException || hasCause(t, ConnectException.class)) {
      String detail = t.getMessage() == null ? "connection refused" : t.getMessage();
      return new TransientFailure(
          Reason.UNREACHABLE, "cannot reach " + where + ": " + detail, Optional.empty());
    }
    if (t instanceof SSLException) {
      return new ModelFetchException(
          Reason.UNREACHABLE, "secure connection to " + where + " failed: " + t.getMessage(), t);
    }
    if (t instanceof HttpTimeoutException) {
      return new TransientFailure(
          Reason.TRANSFER_FAILED,
          "no answer from " + where + " within " + config.readTimeout().toSeconds() + " s",
          Optional.empty());
    }
    if (t instanceof IOException || t instanceof CancellationException) {
      String detail = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      return new TransientFailure(
          Reason.TRANSFER_FAILED,
          "connection to " + where + " lost while downloading " + file.path() + ": " + detail,
          Optional.empty());
    }
    return new ModelFetchException(
        Reason.TRANSFER_FAILED, "downloading " + file.path() + " from " + where + " failed", t);
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  /** The outcome of an answer that is neither a body, a redirect nor a 416. */
  Exception statusFailure(
      int status, HttpHeaders headers, URI uri, RemoteFile file, String repository) {
    String where = HubRequests.host(uri);
    String hubMessage = headers.firstValue("X-Error-Message").map(m -> ": " + m.strip()).orElse("");
    String what = repository + "/" + file.path();
    if (status == 401 || status == 403) {
      String advice =
          config.token().isPresent()
              ? "the access token was refused or has no access to " + repository
              : "this repository needs an access token";
      return new ModelFetchException(
          Reason.ACCESS_DENIED,
          where + " refused access to " + what + " (HTTP " + status + hubMessage + "); " + advice);
    }
    if (status == 404) {
      return new ModelFetchException(
          Reason.NOT_FOUND, where + " has no " + what + " (HTTP 404" + hubMessage + ")");
    }
    if (status == 408 || status == 429 || status >= 500) {
      return new TransientFailure(
          Reason.HTTP_STATUS,
          where + " answered HTTP " + status + hubMessage + " for " + what,
          retryAfter(headers));
    }
    return new ModelFetchException(
        Reason.HTTP_STATUS, where + " answered HTTP " + status + hubMessage + " for " + what);
  }

  private static Optional<Duration> retryAfter(HttpHeaders headers) {
    return headers
        .firstValue("Retry-After")
        .flatMap(
            v -> {
              try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v.strip())));
              } catch (NumberFormatException e) {
                return Optional.empty(); // an HTTP date: use our own backoff
              }
            });
  }
}
