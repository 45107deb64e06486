package dev.clipsearch.searcher.server;

import dev.clipsearch.indexer.index.IndexOpenException;
import dev.clipsearch.indexer.index.ModelMismatchException;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.detect.Detector;
import dev.clipsearch.searcher.metrics.ServerMetrics;
import dev.clipsearch.searcher.service.IndexSwitchException;
import dev.clipsearch.searcher.service.IndexSwitchException.Reason;
import dev.clipsearch.searcher.service.IndexSwitchResult;
import dev.clipsearch.searcher.service.IndexSwitcher;
import dev.clipsearch.searcher.service.IndexTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generation being served, and the switch to the next one. Each request takes the current
 * {@link Generation} once at its start ({@link #call}) and keeps it to its end, so a switch never
 * changes the index or the model under a request; the switch itself is one atomic reference swap,
 * made after the new generation has opened and answered its warm-up queries. A retired generation
 * closes when its last request ends. One switch runs at a time; a failed one leaves the current
 * generation serving.
 */
final class Generations implements IndexSwitcher, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Generations.class);

  private final ModelOpener opener;
  private final ServerConfig config;
  private final ServerMetrics metrics;
  private final Detector sharedDetector;
  private final StoreOpener stores;
  private final AtomicReference<Generation> current;
  private final List<Generation> retiring = new CopyOnWriteArrayList<>();
  private final ReentrantLock switching = new ReentrantLock();
  private volatile boolean closed;

  private Generations(
      ModelOpener opener,
      ServerConfig config,
      ServerMetrics metrics,
      Detector sharedDetector,
      StoreOpener stores,
      Generation first) {
    this.opener = opener;
    this.config = config;
    this.metrics = metrics;
    this.sharedDetector = sharedDetector;
    this.stores = stores;
    this.current = new AtomicReference<>(first);
  }

  /**
   * Opens the first generation, the one {@code config} names. Every generation detects with {@code
   * sharedDetector} (owned by the caller), or with CLIP regions over its own model if null; every
   * generation's store is opened by {@code stores}.
   *
   * @throws ModelMismatchException when another model built the index
   * @throws IndexOpenException when there is no usable index
   */
  static Generations open(
      ModelOpener opener,
      ServerConfig config,
      ServerMetrics metrics,
      Detector sharedDetector,
      StoreOpener stores)
      throws IOException {
    IndexTarget target = new IndexTarget(config.indexDir(), config.model());
    Generation first =
        Generation.open(1, target, opener.open(target), config, metrics, sharedDetector, stores);
    return new Generations(opener, config, metrics, sharedDetector, stores, first);
  }

  /**
   * Runs {@code work} on the current generation, holding it until {@code work} returns: a switch
   * meanwhile retires it, but closes it only after this call.
   */
  <T> T call(Function<Generation, T> work) {
    Generation generation = acquire();
    try {
      return work.apply(generation);
    } finally {
      generation.release();
    }
  }

  private Generation acquire() {
    while (true) {
      Generation generation = current.get();
      if (generation.tryAcquire()) {
        return generation;
      }
      if (closed && current.get() == generation) {
        throw new IllegalStateException("the server is stopping");
      }
      Thread.onSpinWait(); // retired between the read and the acquire: read the new one
    }
  }

  /** The generation serving now (for status and gauges; requests use {@link #call}). */
  Generation current() {
    return current.get();
  }

  @Override
  public IndexSwitchResult switchTo(IndexTarget target) {
    if (!switching.tryLock()) {
      throw new IndexSwitchException(
          Reason.BUSY,
          "another switch of index and model is running; try again when it ends",
          null);
    }
    try {
      if (closed) {
        throw new IndexSwitchException(Reason.BUSY, "the server is stopping", null);
      }
      Generation old = current.get();
      Path dir = checkDirectory(target.indexDir());
      if (dir.equals(old.directory())) {
        throw new IndexSwitchException(
            Reason.ALREADY_SERVING,
            "the server already serves the index " + target.indexDir() + " (" + dir + ")",
            null);
      }
      awaitClosing(dir);
      LOG.info("switching from {} to {} with model '{}'", old.target(), dir, target.model());
      Generation next = openGeneration(old.number() + 1, target);
      int warmup;
      try {
        warmup = next.warmUp();
      } catch (RuntimeException e) {
        retire(next);
        old.encoder().publishGauges();
        throw new IndexSwitchException(
            Reason.WARMUP_FAILED,
            "the index "
                + target.indexDir()
                + " with model '"
                + next.modelId()
                + "' failed its warm-up queries: "
                + e.getMessage(),
            e);
      }
      current.set(next);
      retire(old);
      LOG.info(
          "now serving generation {}: {} with model '{}' ({} warm-up queries)",
          next.number(),
          target.indexDir(),
          next.modelId(),
          warmup);
      return new IndexSwitchResult(
          next.number(),
          target.indexDir().toString(),
          next.modelId(),
          next.store().metadata().dimension(),
          next.store().sizes().products(),
          old.target().indexDir().toString(),
          old.modelId(),
          warmup);
    } finally {
      switching.unlock();
    }
  }

  /** Retires a generation, remembered until it has closed (it may hold its index's lock). */
  private void retire(Generation generation) {
    retiring.add(generation);
    generation.closed().whenComplete((ignored, error) -> retiring.remove(generation));
    generation.retire();
  }

  private Generation openGeneration(long number, IndexTarget target) {
    ModelOpener.Opened opened;
    try {
      opened = opener.open(target);
    } catch (IndexSwitchException e) {
      throw e;
    } catch (IOException e) {
      throw new IndexSwitchException(Reason.INDEX_UNUSABLE, e.getMessage(), e);
    } catch (ModelLoadException | IllegalArgumentException e) {
      throw new IndexSwitchException(
          Reason.MODEL_UNUSABLE,
          "the model '" + target.model() + "' cannot be used: " + e.getMessage(),
          e);
    }
    try {
      return Generation.open(number, target, opened, config, metrics, sharedDetector, stores);
    } catch (ModelMismatchException e) {
      throw new IndexSwitchException(Reason.MODEL_MISMATCH, e.getMessage(), e);
    } catch (IOException e) {
      throw new IndexSwitchException(Reason.INDEX_UNUSABLE, e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IndexSwitchException(
          Reason.MODEL_UNUSABLE,
          "the index "
              + target.indexDir()
              + " cannot be served with model '"
              + target.model()
              + "': "
              + e.getMessage(),
          e);
    }
  }

  private static Path checkDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IndexSwitchException(
          Reason.INDEX_UNUSABLE,
          "no index at "
              + dir
              + ": "
              + (Files.exists(dir) ? "not a directory" : "no such directory"),
          null);
    }
    return Generation.realPath(dir);
  }

  /**
   * Waits for a retired generation on the same index to close (it holds the index's write lock), as
   * long as shutdown would wait for requests.
   */
  private void awaitClosing(Path dir) {
    for (Generation g : retiring) {
      if (!dir.equals(g.directory())) {
        continue;
      }
      try {
        g.closed().get(config.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new IndexSwitchException(
            Reason.BUSY,
            "the index "
                + dir
                + " is still used by requests that started before the last switch;"
                + " try again when they end",
            e);
      } catch (ExecutionException e) {
        // Closing failed and was logged; opening will say whether the index is usable.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IndexSwitchException(Reason.BUSY, "interrupted while waiting", e);
      }
    }
  }

  /** Retires every generation; each closes when its last request ends. */
  @Override
  public void close() {
    switching.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      current.get().retire();
      awaitAll(config.stopTimeout());
    } finally {
      switching.unlock();
    }
  }

  private void awaitAll(Duration timeout) {
    List<Generation> all = new ArrayList<>(retiring);
    all.add(current.get());
    for (Generation g : all) {
      try {
        g.closed().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        LOG.warn("generation {} did not close cleanly", g.number(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
