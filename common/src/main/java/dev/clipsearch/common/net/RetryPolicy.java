package dev.clipsearch.common.net;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How often a transient network failure (connection reset, timeout, HTTP 5xx, 408 or 429) is
 * retried and how long to wait in between: exponential backoff from {@code initialBackoff},
 * doubling after each failed attempt, capped at {@code maxBackoff}.
 *
 * <p>{@link #backoffAfter} is the capped wait itself, for a single client whose waits are shown to
 * a user (a model download). {@link #jitteredBackoffAfter} spreads it over its upper half, for many
 * concurrent requests to one host (image fetching), so that they do not all come back at the same
 * instant.
 *
 * @param maxAttempts attempts per request, the first one included (1 means no retry)
 * @param initialBackoff wait before the second attempt
 * @param maxBackoff longest wait between two attempts
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

  /** Four attempts, waiting 1 s, 2 s, then 4 s (at most 8 s). */
  public static RetryPolicy defaults() {
    return new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(8));
  }

  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "need 0 <= initialBackoff <= maxBackoff, got " + initialBackoff + ", " + maxBackoff);
    }
  }

  /** This policy with {@code attempts} attempts per request. */
  public RetryPolicy withMaxAttempts(int attempts) {
    return new RetryPolicy(attempts, initialBackoff, maxBackoff);
  }

  /** The wait after failed attempt number {@code attempt} (1-based), never above the cap. */
  public Duration backoffAfter(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts count from 1, got " + attempt);
    }
    Duration wait = initialBackoff;
    for (int i = 1; i < attempt && !wait.isZero() && wait.compareTo(maxBackoff) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }

  /**
   * {@link #backoffAfter} with "equal jitter": a uniform draw between half of it and all of it, so
   * the wait still grows (and stays capped) while concurrent clients spread out.
   *
   * @param random the source of the draw ({@code ThreadLocalRandom.current()}, or a seeded one in
   *     tests)
   */
  public Duration jitteredBackoffAfter(int attempt, RandomGenerator random) {
    long ceiling = backoffAfter(attempt).toNanos();
    long half = ceiling / 2;
    return Duration.ofNanos(half + random.nextLong(ceiling - half + 1));
  }
}
