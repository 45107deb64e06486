package dev.clipsearch.indexer.pipeline;

import dev.clipsearch.indexer.report.FailureReason;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a bulk run did.
 *
 * @param outcome how it ended
 * @param stopReason why it stopped early, or null
 * @param catalogError why the catalog could not be read to the end, or null
 * @param entries catalog entries read (lines with a product or an error)
 * @param added products new to the index
 * @param updated products replaced by a new version
 * @param unchanged products skipped because neither fields nor image fingerprints changed
 * @param failed products skipped because of errors (malformed lines included)
 * @param partial products indexed without some of their images
 * @param pruned products deleted because they are no longer in the catalog
 * @param pruneSkipped why {@code --prune} did not run although asked, or null
 * @param imagesEncoded images run through the model
 * @param imagesReused images whose stored vector was reused (unchanged bytes)
 * @param imagesFailed images that could not be used
 * @param productFailures skipped products by reason
 * @param imageFailures failed images by reason
 * @param stageTimes time per stage, summed over its threads
 * @param decodeThreads decode threads used
 * @param fetchThreads fetch threads used
 * @param wall wall-clock time of the run
 */
public record IndexingResult(
    Outcome outcome,
    String stopReason,
    String catalogError,
    long entries,
    long added,
    long updated,
    long unchanged,
    long failed,
    long partial,
    long pruned,
    String pruneSkipped,
    long imagesEncoded,
    long imagesReused,
    long imagesFailed,
    Map<FailureReason, Long> productFailures,
    Map<FailureReason, Long> imageFailures,
    Map<Stage, Duration> stageTimes,
    int decodeThreads,
    int fetchThreads,
    Duration wall) {

  /** How a run ended. */
  public enum Outcome {
    /** The whole catalog was processed. */
    COMPLETE,
    /**
     * Stopped early ({@code --max-errors} exceeded, or interrupted); what was done is committed.
     */
    STOPPED,
    /** The catalog could not be read to the end; what was read is committed, no prune. */
    CATALOG_INCOMPLETE
  }

  public IndexingResult {
    productFailures = Collections.unmodifiableMap(new EnumMap<>(copy(productFailures)));
    imageFailures = Collections.unmodifiableMap(new EnumMap<>(copy(imageFailures)));
    stageTimes = Collections.unmodifiableMap(new EnumMap<>(stageTimes));
  }

  private static Map<FailureReason, Long> copy(Map<FailureReason, Long> map) {
    Map<FailureReason, Long> out = new EnumMap<>(FailureReason.class);
    out.putAll(map);
    return out;
  }

  /** Products written (added + updated). */
  public long written() {
    return added + updated;
  }

  /**
   * The result as plain maps and numbers (for the JSON report and {@code --json}): counts, failures
   * by reason code, seconds per stage.
   */
  public Map<String, Object> summary() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("outcome", outcome.name().toLowerCase(Locale.ROOT));
    if (stopReason != null) {
      out.put("stop_reason", stopReason);
    }
    if (catalogError != null) {
      out.put("catalog_error", catalogError);
    }
    out.put("entries", entries);
    out.put("added", added);
    out.put("updated", updated);
    out.put("unchanged", unchanged);
    out.put("failed", failed);
    out.put("partial", partial);
    out.put("pruned", pruned);
    if (pruneSkipped != null) {
      out.put("prune_skipped", pruneSkipped);
    }
    out.put("images_encoded", imagesEncoded);
    out.put("images_reused", imagesReused);
    out.put("images_failed", imagesFailed);
    out.put("failed_products_by_reason", byCode(productFailures));
    out.put("failed_images_by_reason", byCode(imageFailures));
    Map<String, Object> seconds = new LinkedHashMap<>();
    stageTimes.forEach(
        (stage, time) -> seconds.put(stage.name().toLowerCase(Locale.ROOT), time.toMillis() / 1e3));
    out.put("stage_seconds", seconds);
    out.put("decode_threads", decodeThreads);
    out.put("fetch_threads", fetchThreads);
    out.put("wall_seconds", wall.toMillis() / 1e3);
    out.put("entries_per_second", Math.round(entriesPerSecond() * 10) / 10.0);
    return out;
  }

  private static Map<String, Long> byCode(Map<FailureReason, Long> counts) {
    Map<String, Long> out = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<FailureReason, Long>comparingByValue().reversed())
        .forEach(e -> out.put(e.getKey().code(), e.getValue()));
    return out;
  }

  /** Catalog entries per second of wall time. */
  public double entriesPerSecond() {
    double s = wall.toNanos() / 1e9;
    return s <= 0 ? 0 : entries / s;
  }
}
