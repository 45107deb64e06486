package dev.clipsearch.indexer.pipeline;

import java.time.Duration;

/**
 * A progress snapshot of a running bulk index.
 *
 * @param processed catalog entries finished (written, unchanged or failed)
 * @param total estimated catalog entries, or -1 while unknown
 * @param written products added or updated
 * @param unchanged products skipped because nothing changed
 * @param failed products skipped because of errors
 * @param elapsed time since the start
 */
public record Progress(
    long processed, long total, long written, long unchanged, long failed, Duration elapsed) {

  /** Entries per second so far. */
  public double rate() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : processed / seconds;
  }

  /** Estimated time left, or null while unknown. */
  public Duration eta() {
    double rate = rate();
    if (total < 0 || rate <= 0) {
      return null;
    }
    return Duration.ofMillis((long) (Math.max(0, total - processed) / rate * 1000));
  }
}
