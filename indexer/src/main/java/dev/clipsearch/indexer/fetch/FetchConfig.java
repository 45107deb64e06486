package dev.clipsearch.indexer.fetch;

import dev.clipsearch.common.net.RetryPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * How image bytes are fetched.
 *
 * @param connectTimeout TCP connect timeout for URLs
 * @param requestTimeout timeout for one whole HTTP request, body included
 * @param maxBytes the largest image accepted, local or remote; larger ones fail as too large
 *     without being read
 * @param retry HTTP attempts per image (1 = no retry) and the capped, jittered backoff between
 *     them; retried only on network errors, 408, 429 and 5xx; a server's {@code Retry-After} is
 *     honoured up to the policy's {@link RetryPolicy#maxBackoff()}
 * @param perHostConcurrency the most requests in flight to one host at a time
 * @param userAgent the {@code User-Agent} header sent
 */
public record FetchConfig(
    Duration connectTimeout,
    Duration requestTimeout,
    long maxBytes,
    RetryPolicy retry,
    int perHostConcurrency,
    String userAgent) {

  /** Image files larger than this are rejected unless configured otherwise: 32 MiB. */
  public static final long DEFAULT_MAX_BYTES = 32L << 20;

  /**
   * The defaults: 5 s connect, 30 s request, 32 MiB, 3 attempts from 500 ms (waits capped at 4 s),
   * 4 per host.
   */
  public static final FetchConfig DEFAULTS =
      new FetchConfig(
          Duration.ofSeconds(5),
          Duration.ofSeconds(30),
          DEFAULT_MAX_BYTES,
          new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(4)),
          4,
          "clipsearch-indexer");

  public FetchConfig {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(userAgent, "userAgent");
    if (maxBytes <= 0 || maxBytes > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("maxBytes must be in 1..2 GiB, got " + maxBytes);
    }
    if (perHostConcurrency < 1) {
      throw new IllegalArgumentException(
          "perHostConcurrency must be at least 1, got " + perHostConcurrency);
    }
  }

  public FetchConfig withMaxBytes(long bytes) {
    return new FetchConfig(
        connectTimeout, requestTimeout, bytes, retry, perHostConcurrency, userAgent);
  }

  public FetchConfig withTimeouts(Duration connect, Duration request) {
    return new FetchConfig(connect, request, maxBytes, retry, perHostConcurrency, userAgent);
  }

  public FetchConfig withRetry(RetryPolicy newRetry) {
    return new FetchConfig(
        connectTimeout, requestTimeout, maxBytes, newRetry, perHostConcurrency, userAgent);
  }

  /** {@code attempts} attempts from {@code backoff}, the waits capped at 8 times it. */
  public FetchConfig withRetries(int attempts, Duration backoff) {
    return withRetry(new RetryPolicy(attempts, backoff, backoff.multipliedBy(8)));
  }

  public FetchConfig withPerHostConcurrency(int limit) {
    return new FetchConfig(connectTimeout, requestTimeout, maxBytes, retry, limit, userAgent);
  }
}
