package dev.clipsearch.indexer.pipeline;

import dev.clipsearch.indexer.pipeline.ProductWork.ImageWork;
import dev.clipsearch.indexer.report.FailureReason;
import dev.clipsearch.indexer.report.ProductFailure;
import dev.clipsearch.models.ClipModel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encode stage, on one thread: gathers the decoded images of consecutive products into batches
 * of {@code batchSize}, runs each batch through the model, and forwards a product once all its
 * images have vectors, in the order products arrived. When input runs dry for {@code maxBatchWait}
 * it encodes a partial batch rather than wait. A failed batch skips the products it held images of;
 * {@link #MAX_CONSECUTIVE_ENCODE_FAILURES} failed batches in a row abort the run (the model is
 * broken, not the data). Time spent waiting for input is {@link Stage#ENCODER_IDLE}.
 */
final class EncodeStage {

  private static final Logger LOG = LoggerFactory.getLogger(EncodeStage.class);

  /** Model failures in a row after which the run is aborted (the model is broken, not the data). */
  static final int MAX_CONSECUTIVE_ENCODE_FAILURES = 3;

  private final ClipModel model;
  private final int batchSize;
  private final Duration maxBatchWait;
  private final StageClock clock;
  private final RunCounters counters;

  private final ArrayDeque<ProductWork> waiting = new ArrayDeque<>();
  private final List<ImageWork> pending = new ArrayList<>();
  private int consecutiveFailures;

  EncodeStage(
      ClipModel model,
      int batchSize,
      Duration maxBatchWait,
      StageClock clock,
      RunCounters counters) {
    this.model = model;
    this.batchSize = batchSize;
    this.maxBatchWait = maxBatchWait;
    this.clock = clock;
    this.counters = counters;
  }

  /**
   * Encodes everything {@code in} delivers until it is done, forwarding products to {@code out}.
   */
  void run(Channel<ProductWork> in, Channel<ProductWork> out) throws InterruptedException {
    long waitMillis = Math.max(1, maxBatchWait.toMillis());
    while (true) {
      long t0 = System.nanoTime();
      ProductWork work = in.poll(waitMillis);
      clock.add(Stage.ENCODER_IDLE, t0);
      if (work != null) {
        waiting.add(work);
        for (ImageWork image : work.images) {
          if (image.needsEncode()) {
            pending.add(image);
          }
        }
        while (pending.size() >= batchSize) {
          encodeBatch(batchSize);
        }
      } else if (in.isDone()) {
        while (!pending.isEmpty()) {
          encodeBatch(Math.min(batchSize, pending.size()));
        }
        forwardFinished(out);
        return;
      } else if (!pending.isEmpty()) {
        // Starved: encode what we have rather than wait for a full batch.
        encodeBatch(Math.min(batchSize, pending.size()));
      }
      forwardFinished(out);
    }
  }

  private void encodeBatch(int n) {
    List<ImageWork> batch = new ArrayList<>(pending.subList(0, n));
    pending.subList(0, n).clear();
    List<float[]> tensors = new ArrayList<>(n);
    for (ImageWork image : batch) {
      tensors.add(image.pixels);
    }
    long t0 = System.nanoTime();
    float[][] vectors;
    try {
      vectors = model.encodeImages(tensors);
      if (vectors.length != n) {
        throw new IllegalStateException(
            "the model returned " + vectors.length + " vectors for " + n + " images");
      }
      consecutiveFailures = 0;
    } catch (RuntimeException e) {
      clock.add(Stage.ENCODE, t0);
      LOG.warn("encoding a batch of {} images failed: {}", n, e.toString());
      if (++consecutiveFailures >= MAX_CONSECUTIVE_ENCODE_FAILURES) {
        throw new IllegalStateException(
            "the model failed on " + consecutiveFailures + " batches in a row", e);
      }
      Map<ProductWork, Boolean> owners = new IdentityHashMap<>();
      for (ImageWork image : batch) {
        image.owner.encodeFailure = e;
        owners.put(image.owner, true);
      }
      pending.removeIf(image -> owners.containsKey(image.owner));
      return;
    }
    clock.add(Stage.ENCODE, t0);
    for (int i = 0; i < n; i++) {
      batch.get(i).vector = vectors[i];
      batch.get(i).pixels = null;
    }
    counters.encoded(n);
  }

  private void forwardFinished(Channel<ProductWork> out) throws InterruptedException {
    for (Iterator<ProductWork> it = waiting.iterator(); it.hasNext(); ) {
      ProductWork work = it.next();
      if (work.encodeFailure != null) {
        it.remove();
        counters.fail(
            ProductFailure.skipped(
                work.line,
                work.product.id(),
                FailureReason.ENCODE_FAILED,
                "the model failed on its batch: " + work.encodeFailure + work.keptNote(),
                work.imageFailures()));
      } else if (work.encoded()) {
        it.remove();
        out.put(work);
      }
    }
  }
}
