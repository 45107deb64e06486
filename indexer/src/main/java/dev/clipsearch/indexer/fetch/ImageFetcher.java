package dev.clipsearch.indexer.fetch;

import dev.clipsearch.common.net.RetryPolicy;
import dev.clipsearch.indexer.catalog.ImageSource;
import dev.clipsearch.indexer.report.FailureReason;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads the bytes of product images from local files or http(s) URLs, safely for bulk runs: every
 * image is capped at {@link FetchConfig#maxBytes()} (checked from the file size or Content-Length
 * before downloading, and while downloading), every request has a deadline, transient HTTP failures
 * are retried with the shared capped, jittered backoff ({@link
 * dev.clipsearch.common.net.RetryPolicy}), and at most {@link FetchConfig#perHostConcurrency()}
 * requests go to one host at a time. Thread-safe; one instance serves all fetch threads.
 */
public final class ImageFetcher implements AutoCloseable {

  /** The fingerprint of a remote image: URLs are assumed to name immutable content. */
  public static final String REMOTE_FINGERPRINT = "url";

  private final FetchConfig config;
  private final HttpClient client;
  private final Map<String, Semaphore> hostLimits = new ConcurrentHashMap<>();

  public ImageFetcher(FetchConfig config) {
    this.config = config;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  public FetchConfig config() {
    return config;
  }

  /**
   * A cheap identity of the image's current content, read without reading the bytes: {@code
   * file:<size>:<mtime>} for a file, {@value #REMOTE_FINGERPRINT} for a URL. An unchanged
   * fingerprint lets an incremental run reuse the stored vector without reading the image.
   *
   * @throws FetchException when a file is missing, unreadable or over the size cap
   */
  public String fingerprint(ImageSource source) throws FetchException {
    return switch (source) {
      case ImageSource.LocalFile file -> {
        BasicFileAttributes attributes = localAttributes(file);
        yield "file:" + attributes.size() + ":" + attributes.lastModifiedTime().toMillis();
      }
      case ImageSource.Remote remote -> REMOTE_FINGERPRINT;
    };
  }

  /**
   * The image's bytes.
   *
   * @throws FetchException with the reason (file not found, HTTP error, network error, too large…)
   *     and a message naming the file or URL
   * @throws InterruptedException when the run is being cancelled
   */
  public byte[] fetch(ImageSource source) throws FetchException, InterruptedException {
    return switch (source) {
      case ImageSource.LocalFile file -> readFile(file);
      case ImageSource.Remote remote -> download(remote.uri());
    };
  }

  private BasicFileAttributes localAttributes(ImageSource.LocalFile file) throws FetchException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file.path(), BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new FetchException(FailureReason.FILE_NOT_FOUND, "no such file: " + file.path());
    } catch (IOException e) {
      throw new FetchException(
          FailureReason.FILE_UNREADABLE, "cannot read " + file.path() + ": " + e, e);
    }
    if (!attributes.isRegularFile()) {
      throw new FetchException(FailureReason.FILE_NOT_FOUND, "not a regular file: " + file.path());
    }
    if (attributes.size() > config.maxBytes()) {
      throw tooLarge(file.path().toString(), attributes.size());
    }
    return attributes;
  }

  private byte[] readFile(ImageSource.LocalFile file) throws FetchException {
    localAttributes(file);
    try (InputStream in = Files.newInputStream(file.path())) {
      byte[] bytes = in.readNBytes((int) config.maxBytes() + 1);
      if (bytes.length > config.maxBytes()) {
        throw tooLarge(file.path().toString(), bytes.length);
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw new FetchException(FailureReason.FILE_NOT_FOUND, "no such file: " + file.path());
    } catch (AccessDeniedException e) {
      throw new FetchException(FailureReason.FILE_UNREADABLE, "permission denied: " + file.path());
    } catch (IOException e) {
      throw new FetchException(
          FailureReason.FILE_UNREADABLE, "cannot read " + file.path() + ": " + e, e);
    }
  }

  private byte[] download(URI uri) throws FetchException, InterruptedException {
    Semaphore hostLimit =
        hostLimits.computeIfAbsent(
            hostKey(uri), host -> new Semaphore(config.perHostConcurrency(), true));
    for (int attempt = 1; ; attempt++) {
      Attempt outcome;
      hostLimit.acquire();
      try {
        outcome = attempt(uri);
      } finally {
        hostLimit.release();
      }
      if (outcome.bytes != null) {
        return outcome.bytes;
      }
      if (!outcome.retryable) {
        throw outcome.failure;
      }
      if (attempt >= config.retry().maxAttempts()) {
        FetchException last = outcome.failure;
        throw attempt == 1
            ? last
            : new FetchException(
                last.reason(), last.getMessage() + " (" + attempt + " attempts)", last.getCause());
      }
      Thread.sleep(backoff(attempt, outcome.retryAfterSeconds).toMillis());
    }
  }

  private record Attempt(
      byte[] bytes, FetchException failure, boolean retryable, long retryAfterSeconds) {}

  private Attempt attempt(URI uri) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(config.requestTimeout())
            .header("User-Agent", config.userAgent())
            .header("Accept", "image/*,*/*;q=0.5")
            .GET()
            .build();
    Future<HttpResponse<byte[]>> future =
        client.sendAsync(
            request,
            info -> {
              if (info.statusCode() / 100 != 2) {
                return HttpResponse.BodySubscribers.<byte[]>replacing(null);
              }
              long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
              return new LimitedBodySubscriber(config.maxBytes(), declared);
            });
    HttpResponse<byte[]> response;
    try {
      response = future.get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return failure(
          FailureReason.NETWORK_ERROR,
          "timed out after " + seconds(config.requestTimeout()) + ": " + uri,
          true,
          null);
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      return networkFailure(uri, e.getCause());
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      return new Attempt(response.body(), null, false, 0);
    }
    boolean retryable = status == 408 || status == 429 || status / 100 == 5;
    long retryAfter = response.headers().firstValueAsLong("Retry-After").orElse(0);
    return new Attempt(
        null,
        new FetchException(FailureReason.HTTP_ERROR, "HTTP " + status + " from " + uri),
        retryable,
        retryAfter);
  }

  private Attempt networkFailure(URI uri, Throwable cause) {
    if (cause instanceof LimitedBodySubscriber.BodyTooLargeException tooLarge) {
      FetchException e = tooLarge(uri.toString(), tooLarge.bytesSeen);
      return new Attempt(null, e, false, 0);
    }
    String what =
        switch (cause) {
          case HttpConnectTimeoutException t ->
              "connect timed out after " + seconds(config.connectTimeout());
          case HttpTimeoutException t -> "timed out after " + seconds(config.requestTimeout());
          case ConnectException c ->
              "cannot connect" + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")");
          default -> cause.getClass().getSimpleName() + ": " + cause.getMessage();
        };
    return failure(FailureReason.NETWORK_ERROR, what + ": " + uri, true, cause);
  }

  private static Attempt failure(
      FailureReason reason, String message, boolean retryable, Throwable cause) {
    return new Attempt(null, new FetchException(reason, message, cause), retryable, 0);
  }

  private FetchException tooLarge(String what, long bytes) {
    return new FetchException(
        FailureReason.TOO_LARGE,
        what + " is larger than the " + config.maxBytes() + "-byte cap (" + bytes + " bytes)");
  }

  /**
   * The shared policy's capped backoff with jitter (many images of one host retry at once), or the
   * server's {@code Retry-After} up to the same cap.
   */
  private Duration backoff(int attempt, long retryAfterSeconds) {
    RetryPolicy retry = config.retry();
    if (retryAfterSeconds > 0) {
      Duration asked = Duration.ofSeconds(retryAfterSeconds);
      return asked.compareTo(retry.maxBackoff()) > 0 ? retry.maxBackoff() : asked;
    }
    return retry.jitteredBackoffAfter(attempt, ThreadLocalRandom.current());
  }

  private static String hostKey(URI uri) {
    return uri.getHost().toLowerCase(Locale.ROOT) + ":" + uri.getPort();
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  @Override
  public void close() {
    client.close();
  }
}
