package dev.clipsearch.indexer.pipeline;

import dev.clipsearch.indexer.report.FailureReason;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a bulk run did, in groups: how it ended, counts of products and images, failures by reason,
 * threads and time.
 *
 * @param outcome how it ended
 * @param notes why it ended early or skipped a step, when it did
 * @param counts catalog entries and products by what happened to them
 * @param images images by what happened to them
 * @param failures failures by reason
 * @param timings threads and time
 */
public record IndexingResult(
    Outcome outcome,
    Notes notes,
    Counts counts,
    Images images,
    Failures failures,
    Timings timings) {

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

  /**
   * Why a run ended early or skipped a step; each is null when it does not apply.
   *
   * @param stopReason why it stopped early
   * @param catalogError why the catalog could not be read to the end
   * @param pruneSkipped why {@code --prune} did not run although asked
   */
  public record Notes(String stopReason, String catalogError, String pruneSkipped) {}

  /**
   * Catalog entries and products.
   *
   * @param entries catalog entries read (lines with a product or an error) of this run's partition
   * @param added products new to the store
   * @param updated products replaced by a new version
   * @param unchanged products skipped because neither fields nor image fingerprints changed
   * @param failed products skipped because of errors (malformed lines included)
   * @param partial products indexed without some of their images
   * @param pruned products deleted because they are no longer in the catalog
   * @param outsidePartition catalog entries left to the other runs of a partitioned run ({@code
   *     --partition I/N}); 0 for the whole catalog
   */
  public record Counts(
      long entries,
      long added,
      long updated,
      long unchanged,
      long failed,
      long partial,
      long pruned,
      long outsidePartition) {

    /** Products written (added + updated). */
    public long written() {
      return added + updated;
    }
  }

  /**
   * Images.
   *
   * @param encoded images run through the model
   * @param reused images whose stored vector was reused (unchanged bytes)
   * @param failed images that could not be used
   */
  public record Images(long encoded, long reused, long failed) {}

  /**
   * Failures by reason; reasons that did not occur are absent.
   *
   * @param products skipped products by reason
   * @param images failed images by reason
   */
  public record Failures(Map<FailureReason, Long> products, Map<FailureReason, Long> images) {
    public Failures {
      products = Collections.unmodifiableMap(copy(products));
      images = Collections.unmodifiableMap(copy(images));
    }

    private static Map<FailureReason, Long> copy(Map<FailureReason, Long> map) {
      Map<FailureReason, Long> out = new EnumMap<>(FailureReason.class);
      out.putAll(map);
      return out;
    }
  }

  /**
   * Threads and time.
   *
   * @param stages time per stage, summed over its threads
   * @param decodeThreads decode threads used
   * @param fetchThreads fetch threads used
   * @param wall wall-clock time of the run
   */
  public record Timings(
      Map<Stage, Duration> stages, int decodeThreads, int fetchThreads, Duration wall) {
    public Timings {
      Map<Stage, Duration> copy = new EnumMap<>(Stage.class);
      copy.putAll(stages);
      stages = Collections.unmodifiableMap(copy);
    }
  }

  /**
   * The result as plain maps and numbers (for the JSON report and {@code --json}): counts, failures
   * by reason code, seconds per stage.
   */
  public Map<String, Object> summary() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("outcome", outcome.name().toLowerCase(Locale.ROOT));
    if (notes.stopReason() != null) {
      out.put("stop_reason", notes.stopReason());
    }
    if (notes.catalogError() != null) {
      out.put("catalog_error", notes.catalogError());
    }
    out.put("entries", counts.entries());
    out.put("added", counts.added());
    out.put("updated", counts.updated());
    out.put("unchanged", counts.unchanged());
    out.put("failed", counts.failed());
    out.put("partial", counts.partial());
    out.put("pruned", counts.pruned());
    if (counts.outsidePartition() > 0) {
      out.put("outside_partition", counts.outsidePartition());
    }
    if (notes.pruneSkipped() != null) {
      out.put("prune_skipped", notes.pruneSkipped());
    }
    out.put("images_encoded", images.encoded());
    out.put("images_reused", images.reused());
    out.put("images_failed", images.failed());
    out.put("failed_products_by_reason", byCode(failures.products()));
    out.put("failed_images_by_reason", byCode(failures.images()));
    Map<String, Object> seconds = new LinkedHashMap<>();
    timings
        .stages()
        .forEach(
            (stage, time) ->
                seconds.put(stage.name().toLowerCase(Locale.ROOT), time.toMillis() / 1e3));
    out.put("stage_seconds", seconds);
    out.put("decode_threads", timings.decodeThreads());
    out.put("fetch_threads", timings.fetchThreads());
    out.put("wall_seconds", timings.wall().toMillis() / 1e3);
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
    double s = timings.wall().toNanos() / 1e9;
    return s <= 0 ? 0 : counts.entries() / s;
  }
}
