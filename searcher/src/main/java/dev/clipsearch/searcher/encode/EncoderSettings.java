package dev.clipsearch.searcher.encode;

import java.time.Duration;
import java.util.Objects;

/**
 * How queries reach the model.
 *
 * @param threads inference threads: how many encodings run at once (each may itself use several
 *     intra-op threads of the runtime)
 * @param queueCapacity encodings allowed to wait for a thread; one more is refused at once with 503
 * @param textCacheEntries size of the LRU cache of text embeddings (0 disables it)
 * @param maxQueryChars text queries are cut to this many characters before anything else; CLIP's
 *     context (77 tokens) is much shorter, so nothing the model would see is lost
 * @param timeout longest wait for one encoding, queue time included
 * @param retryAfter what a refused caller is told to wait
 */
public record EncoderSettings(
    int threads,
    int queueCapacity,
    int textCacheEntries,
    int maxQueryChars,
    Duration timeout,
    Duration retryAfter) {

  public EncoderSettings {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(retryAfter, "retryAfter");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    if (queueCapacity < 0) {
      throw new IllegalArgumentException("queueCapacity must not be negative: " + queueCapacity);
    }
    if (textCacheEntries < 0) {
      throw new IllegalArgumentException("textCacheEntries must not be negative");
    }
    if (maxQueryChars < 1) {
      throw new IllegalArgumentException("maxQueryChars must be at least 1");
    }
  }

  /** Sensible defaults for {@code threads} inference threads. */
  public static EncoderSettings defaults(int threads) {
    return new EncoderSettings(
        threads, 4 * threads + 16, 10_000, 1_000, Duration.ofSeconds(30), Duration.ofSeconds(1));
  }

  public EncoderSettings withQueue(int threads, int queueCapacity) {
    return new EncoderSettings(
        threads, queueCapacity, textCacheEntries, maxQueryChars, timeout, retryAfter);
  }

  public EncoderSettings withTextCacheEntries(int entries) {
    return new EncoderSettings(threads, queueCapacity, entries, maxQueryChars, timeout, retryAfter);
  }
}
