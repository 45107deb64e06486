package dev.clipsearch.models.hub;

import java.time.Duration;

/**
 * How often a transient download failure (connection reset, timeout, HTTP 5xx or 429) is retried
 * and how long to wait in between: exponential backoff from {@code initialBackoff}, capped at
 * {@code maxBackoff}.
 *
 * @param maxAttempts attempts per file, the first one included (1 means no retry)
 * @param initialBackoff wait before the second attempt
 * @param maxBackoff longest wait between two attempts
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

  /** Four attempts, waiting 1 s, 2 s, then 4 s. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(8));
  }

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "need 0 <= initialBackoff <= maxBackoff, got " + initialBackoff + ", " + maxBackoff);
    }
  }

  /** The wait after failed attempt number {@code attempt} (1-based). */
  public Duration backoffAfter(int attempt) {
    Duration wait = initialBackoff;
    for (int i = 1; i < attempt && wait.compareTo(maxBackoff) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }
}
