package dev.clipsearch.indexer.report;

import java.util.List;
import java.util.Objects;

/**
 * A catalog entry that was skipped, or indexed without some of its images.
 *
 * @param line 1-based line of the catalog where the entry starts
 * @param productId the product id, or null when the line had none
 * @param outcome whether the product was skipped or indexed with fewer images
 * @param reason for a skipped product, why; for a partial one, {@code null}
 * @param message details for people
 * @param images the images that failed, in catalog order (may be empty)
 */
public record ProductFailure(
    long line,
    String productId,
    Outcome outcome,
    FailureReason reason,
    String message,
    List<ImageFailure> images) {

  /** What happened to the product. */
  public enum Outcome {
    /** Not indexed in this run; a version indexed by an earlier run, if any, stays. */
    SKIPPED,
    /** Indexed with the images that worked. */
    PARTIAL
  }

  public ProductFailure {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(message, "message");
    if ((outcome == Outcome.SKIPPED) != (reason != null)) {
      throw new IllegalArgumentException("a skipped product needs a reason, a partial one none");
    }
    images = List.copyOf(images);
  }

  /** A skipped product. */
  public static ProductFailure skipped(
      long line,
      String productId,
      FailureReason reason,
      String message,
      List<ImageFailure> images) {
    return new ProductFailure(line, productId, Outcome.SKIPPED, reason, message, images);
  }

  /** A product indexed without some of its images. */
  public static ProductFailure partial(long line, String productId, List<ImageFailure> images) {
    return new ProductFailure(
        line,
        productId,
        Outcome.PARTIAL,
        null,
        images.size() + " image(s) not usable; indexed with the others",
        images);
  }
}
