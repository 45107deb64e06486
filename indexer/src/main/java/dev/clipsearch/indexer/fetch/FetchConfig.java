package dev.clipsearch.indexer.fetch;

import java.time.Duration;
import java.util.Objects;

/**
 * How image bytes are fetched.
 *
 * @param connectTimeout TCP connect timeout for URLs
 * @param requestTimeout timeout for one whole HTTP request, body included
 * @param maxBytes the largest image accepted, local or remote; larger ones fail as too large
 *     without being read
 * @param maxAttempts HTTP attempts per image (1 = no retry); retried only on network errors, 408,
 *     429 and 5xx
 * @param retryBackoff wait before the first retry; doubles each time; a server's {@code
 *     Retry-After} is honoured up to {@code 8 * retryBackoff}
 * @param perHostConcurrency the most requests in flight to one host at a time
 * @param userAgent the {@code User-Agent} header sent
 */
public record FetchConfig(
    Duration connectTimeout,
    Duration requestTimeout,
    long maxBytes,
    int maxAttempts,
    Duration retryBackoff,
    int perHostConcurrency,
    String userAgent) {

  /** Image files larger than this are rejected unless configured otherwise: 32 MiB. */
  public static final long DEFAULT_MAX_BYTES = 32L << 20;

  /** The defaults: 5 s connect, 30 s request, 32 MiB, 3 attempts from 500 ms, 4 per host. */
  public static final FetchConfig DEFAULTS =
      new FetchConfig(
          Duration.ofSeconds(5),
          Duration.ofSeconds(30),
          DEFAULT_MAX_BYTES,
          3,
          Duration.ofMillis(500),
          4,
          "clipsearch-indexer");

  public FetchConfig {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(retryBackoff, "retryBackoff");
    Objects.requireNonNull(userAgent, "userAgent");
    if (maxBytes <= 0 || maxBytes > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("maxBytes must be in 1..2 GiB, got " + maxBytes);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (perHostConcurrency < 1) {
      throw new IllegalArgumentException(
          "perHostConcurrency must be at least 1, got " + perHostConcurrency);
    }
  }

  public FetchConfig withMaxBytes(long bytes) {
    return new FetchConfig(
        connectTimeout,
        requestTimeout,
        bytes,
        maxAttempts,
        retryBackoff,
        perHostConcurrency,
        userAgent);
  }

  public FetchConfig withTimeouts(Duration connect, Duration request) {
    return new FetchConfig(
        connect, request, maxBytes, maxAttempts, retryBackoff, perHostConcurrency, userAgent);
  }

  public FetchConfig withRetries(int attempts, Duration backoff) {
    return new FetchConfig(
        connectTimeout, requestTimeout, maxBytes, attempts, backoff, perHostConcurrency, userAgent);
  }

  public FetchConfig withPerHostConcurrency(int limit) {
    return new FetchConfig(
        connectTimeout, requestTimeout, maxBytes, maxAttempts, retryBackoff, limit, userAgent);
  }
}
