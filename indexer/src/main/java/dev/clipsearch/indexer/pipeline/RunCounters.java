package dev.clipsearch.indexer.pipeline;

import dev.clipsearch.indexer.report.FailureReason;
import dev.clipsearch.indexer.report.ImageFailure;
import dev.clipsearch.indexer.report.ProductFailure;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tallies of one bulk run, updated by every stage (thread-safe): products and images by what
 * happened to them, failures by reason. Every failure goes through {@link #fail}, which counts it,
 * hands it to the {@link FailureListener} and stops the run once {@code --max-errors} is exceeded.
 * At the end it builds the {@link IndexingResult}.
 */
final class RunCounters {

  private static final Logger LOG = LoggerFactory.getLogger(RunCounters.class);

  private final FailureListener listener;
  private final long maxErrors;
  private final RunControl control;

  private final AtomicLong entries = new AtomicLong();
  private final AtomicLong outsidePartition = new AtomicLong();
  private final AtomicLong added = new AtomicLong();
  private final AtomicLong updated = new AtomicLong();
  private final AtomicLong unchanged = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong partial = new AtomicLong();
  private final AtomicLong imagesEncoded = new AtomicLong();
  private final AtomicLong imagesReused = new AtomicLong();
  private final AtomicLong imagesFailed = new AtomicLong();
  private final AtomicLong totalEstimate = new AtomicLong(-1);
  private final Map<FailureReason, LongAdder> productFailures = new EnumMap<>(FailureReason.class);
  private final Map<FailureReason, LongAdder> imageFailures = new EnumMap<>(FailureReason.class);

  /**
   * @param maxErrors failed products after which the run is stopped, or negative for no limit
   */
  RunCounters(FailureListener listener, long maxErrors, RunControl control) {
    this.listener = listener;
    this.maxErrors = maxErrors;
    this.control = control;
    for (FailureReason reason : FailureReason.values()) {
      productFailures.put(reason, new LongAdder());
      imageFailures.put(reason, new LongAdder());
    }
  }

  void entryRead() {
    entries.incrementAndGet();
  }

  /** A catalog entry of another partition: read, not counted as an entry of this run. */
  void outsidePartition() {
    outsidePartition.incrementAndGet();
  }

  void unchanged() {
    unchanged.incrementAndGet();
  }

  /** A product was written: new, or a new version of one the store had. */
  void written(boolean existed, int reusedImages) {
    (existed ? updated : added).incrementAndGet();
    imagesReused.addAndGet(reusedImages);
  }

  void encoded(int images) {
    imagesEncoded.addAndGet(images);
  }

  /** The estimated number of catalog entries, once known. */
  void totalEstimate(long total) {
    totalEstimate.set(total);
  }

  /** Counts a skipped or partly indexed product and reports it. */
  void fail(ProductFailure failure) {
    if (failure.outcome() == ProductFailure.Outcome.SKIPPED) {
      failed.incrementAndGet();
      productFailures.get(failure.reason()).increment();
    } else {
      partial.incrementAndGet();
    }
    for (ImageFailure image : failure.images()) {
      imagesFailed.incrementAndGet();
      imageFailures.get(image.reason()).increment();
    }
    listener.onFailure(failure);
    if (maxErrors >= 0 && failed.get() > maxErrors) {
      control.stop("more than " + maxErrors + " products failed (--max-errors)");
    }
  }

  /** A bug met while handling one product: logged with its stack, the product skipped. */
  void internalError(ProductWork work, RuntimeException e) {
    LOG.error("product {} (line {}): unexpected error", work.product.id(), work.line, e);
    fail(
        ProductFailure.skipped(
            work.line,
            work.product.id(),
            FailureReason.INTERNAL_ERROR,
            e.toString() + work.keptNote(),
            work.imageFailures()));
  }

  Progress progress(Duration elapsed) {
    long done = added.get() + updated.get() + unchanged.get() + failed.get();
    return new Progress(
        done,
        totalEstimate.get(),
        added.get() + updated.get(),
        unchanged.get(),
        failed.get(),
        elapsed);
  }

  IndexingResult result(
      IndexingResult.Outcome outcome,
      IndexingResult.Notes notes,
      long pruned,
      IndexingResult.Timings timings) {
    return new IndexingResult(
        outcome,
        notes,
        new IndexingResult.Counts(
            entries.get(),
            added.get(),
            updated.get(),
            unchanged.get(),
            failed.get(),
            partial.get(),
            pruned,
            outsidePartition.get()),
        new IndexingResult.Images(imagesEncoded.get(), imagesReused.get(), imagesFailed.get()),
        new IndexingResult.Failures(nonZero(productFailures), nonZero(imageFailures)),
        timings);
  }

  private static Map<FailureReason, Long> nonZero(Map<FailureReason, LongAdder> counts) {
    Map<FailureReason, Long> out = new EnumMap<>(FailureReason.class);
    counts.forEach(
        (reason, n) -> {
          if (n.sum() > 0) {
            out.put(reason, n.sum());
          }
        });
    return out;
  }
}
