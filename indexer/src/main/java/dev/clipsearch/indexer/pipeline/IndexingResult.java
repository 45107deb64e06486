package dev.clipsearch.indexer.pipeline;

import dev.clipsearch.indexer.report.FailureReason;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
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

  /** Catalog entries per second of wall time. */
  public double entriesPerSecond() {
    double s = wall.toNanos() / 1e9;
    return s <= 0 ? 0 : entries / s;
  }
}
