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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encode stage, on one thread: gathers the decoded images of consecutive products into batches
 * of {@code batchSize}, runs each batch through the model, and forwards a product once all its
 * images have vectors, in the order products arrived. When input runs dry for {@code maxBatchWait}
 * it encodes a partial batch rather than wait. A failed batch skips the products it held images of;
 * {@link #MAX_CONSECUTIVE_ENCODE_FAILURES} failed batches in a row abort the run (the model is
 * broken, not the data). Time spent waiting for input is {@link Stage#ENCODER_IDLE}.
 *
 * <p>A model with several image encoder sessions ({@link ClipModel#imageEncoderSessions()}, two on
 * CUDA by default) gets that many batches at once: each runs on a worker thread of this stage while
 * the stage thread gathers the next; results are applied on the stage thread, oldest batch first,
 * so products still leave in arrival order and all bookkeeping stays on one thread. {@link
 * Stage#ENCODE} is then the model time summed over the sessions. With one session the batch runs on
 * the stage thread itself, as it always did.
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

  private final int sessions;

  private final ArrayDeque<ProductWork> waiting = new ArrayDeque<>();
  private final List<ImageWork> pending = new ArrayList<>();
  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
  private ExecutorService workers;
  private int consecutiveFailures;

  /** A batch handed to a worker: its images and the vectors to come. */
  private record InFlight(List<ImageWork> batch, Future<float[][]> vectors) {}

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
    this.sessions = Math.max(1, model.imageEncoderSessions());
  }

  /**
   * Encodes everything {@code in} delivers until it is done, forwarding products to {@code out}.
   */
  void run(Channel<ProductWork> in, Channel<ProductWork> out) throws InterruptedException {
    if (sessions > 1) {
      AtomicInteger n = new AtomicInteger();
      workers =
          Executors.newFixedThreadPool(
              sessions,
              r -> {
                Thread t = new Thread(r, "clipsearch-encoder-session-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
    }
    try {
      loop(in, out);
    } finally {
      if (workers != null) {
        workers.shutdownNow();
        workers = null;
      }
    }
  }

  private void loop(Channel<ProductWork> in, Channel<ProductWork> out) throws InterruptedException {
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
        while (!inFlight.isEmpty()) {
          completeOldest();
        }
        forwardFinished(out);
        return;
      } else if (!pending.isEmpty()) {
        // Starved: encode what we have rather than wait for a full batch.
        encodeBatch(Math.min(batchSize, pending.size()));
      } else if (!inFlight.isEmpty()) {
        // Starved with batches in flight: their products can leave once they are done.
        completeOldest();
      }
      while (!inFlight.isEmpty() && inFlight.peek().vectors().isDone()) {
        completeOldest();
      }
      forwardFinished(out);
    }
  }

  private void encodeBatch(int n) throws InterruptedException {
    List<ImageWork> batch = new ArrayList<>(pending.subList(0, n));
    pending.subList(0, n).clear();
    List<float[]> tensors = new ArrayList<>(n);
    for (ImageWork image : batch) {
      tensors.add(image.pixels);
    }
    if (workers == null) {
      long t0 = System.nanoTime();
      float[][] vectors;
      try {
        vectors = model.encodeImages(tensors);
      } catch (RuntimeException e) {
        clock.add(Stage.ENCODE, t0);
        failed(batch, e);
        return;
      }
      clock.add(Stage.ENCODE, t0);
      apply(batch, vectors);
      return;
    }
    while (inFlight.size() >= sessions) {
      completeOldest();
    }
    Future<float[][]> vectors =
        workers.submit(
            () -> {
              long t0 = System.nanoTime();
              try {
                return model.encodeImages(tensors);
              } finally {
                clock.add(Stage.ENCODE, t0);
              }
            });
    inFlight.add(new InFlight(batch, vectors));
  }

  /** Waits for the oldest batch in flight and applies its vectors or its failure. */
  private void completeOldest() throws InterruptedException {
    InFlight f = inFlight.poll();
    float[][] vectors;
    try {
      vectors = f.vectors().get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        failed(f.batch(), re);
        return;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
    apply(f.batch(), vectors);
  }

  private void apply(List<ImageWork> batch, float[][] vectors) {
    int n = batch.size();
    if (vectors.length != n) {
      failed(
          batch,
          new IllegalStateException(
              "the model returned " + vectors.length + " vectors for " + n + " images"));
      return;
    }
    consecutiveFailures = 0;
    for (int i = 0; i < n; i++) {
      batch.get(i).vector = vectors[i];
      batch.get(i).pixels = null;
    }
    counters.encoded(n);
  }

  private void failed(List<ImageWork> batch, RuntimeException e) {
    LOG.warn("encoding a batch of {} images failed: {}", batch.size(), e.toString());
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
