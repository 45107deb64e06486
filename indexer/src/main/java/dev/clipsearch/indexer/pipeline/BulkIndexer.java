package dev.clipsearch.indexer.pipeline;

import dev.clipsearch.indexer.catalog.Catalogs;
import dev.clipsearch.indexer.fetch.ImageFetcher;
import dev.clipsearch.indexer.report.FailureReason;
import dev.clipsearch.indexer.report.ProductFailure;
import dev.clipsearch.indexer.store.CatalogStore;
import dev.clipsearch.indexer.store.StoreSnapshot;
import dev.clipsearch.indexer.tag.AttributeTagger;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.image.ImageProcessor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indexes a whole catalog into a {@link CatalogStore}: streaming, with bounded memory, incremental
 * and crash-safe. This class wires the stages and runs their threads; each stage is its own class.
 *
 * <pre>
 * reader ─▶ [fetch ×F] ─▶ [decode ×D] ─▶ batcher/encoder ─▶ [write ×W] ─▶ periodic commits
 *   1 thread   I/O threads    CPU threads     1 thread        writer threads
 * CatalogStage IncrementalPlanner DecodeStage EncodeStage     StoreWriter
 * </pre>
 *
 * <p>Every arrow is a bounded {@link Channel}, so memory stays bounded whatever the catalog size:
 * at most a few batches of decoded tensors and a few products of raw bytes are in flight. The
 * decode threads keep the encoder's input channel full, so the encoder (the GPU, when there is one)
 * never waits on decoding while there are cores to decode with; the time it did wait is reported as
 * {@link Stage#ENCODER_IDLE}. {@link RunCounters} tallies what every stage did.
 *
 * <p>Incremental: the fetch stage looks every product up in a snapshot of the store taken at the
 * start ({@link IncrementalPlanner}). A product whose sync key (fields + image fingerprints) is
 * unchanged is skipped without reading its images. A changed product reuses the stored vector of
 * every image whose fingerprint or bytes are unchanged, so a price change costs no model call.
 *
 * <p>Partitioned: with {@link IndexingConfig#partition()} other than the whole catalog, the run
 * reads every catalog line but encodes and writes only the products of its {@link Partition}, and
 * {@code --prune} deletes only stored ids of that partition, so N runs of partitions 0..N-1 (on N
 * machines) together do what one run does.
 *
 * <p>Writing: {@link IndexingConfig#writeThreads()} threads take encoded products from one channel
 * and upsert them at once. The embedded store gives each its own segment and HNSW graph, so graph
 * building (most of a bulk load's write time) runs on every core; the store's merges then join the
 * graphs, also on every core.
 *
 * <p>Crash safety: products are written whole, and commits happen every {@link
 * IndexingConfig#commitEvery()} products or {@link IndexingConfig#commitInterval()}, counted over
 * all writer threads ({@link CommitCadence}). After a crash the store opens at its last commit; a
 * rerun skips what was committed and redoes the rest, and the id-keyed upserts make duplicates
 * impossible.
 */
public final class BulkIndexer {

  private static final Logger LOG = LoggerFactory.getLogger(BulkIndexer.class);

  private final IndexingConfig config;
  private final CatalogStore store;
  private final ClipModel model;
  private final ImageFetcher fetcher;
  private final Path baseDir;
  private final ProgressListener progress;
  private final AttributeTagger tagger;

  private final RunControl control = new RunControl();
  private final StageClock clock = new StageClock();
  private final RunCounters counters;
  private final CatalogStage reader;
  private final DecodeStage decoder;
  private volatile boolean running;

  public BulkIndexer(
      IndexingConfig config,
      CatalogStore store,
      ClipModel model,
      ImageFetcher fetcher,
      ImageProcessor processor,
      ProgressListener progress,
      FailureListener failures) {
    this(config, store, model, fetcher, processor, progress, failures, null);
  }

  /**
   * As the other constructor, and every new or changed product gets its zero-shot attributes from
   * {@code tagger} as it is written ({@code index --attributes}); null keeps a changed product's
   * stored attributes.
   */
  public BulkIndexer(
      IndexingConfig config,
      CatalogStore store,
      ClipModel model,
      ImageFetcher fetcher,
      ImageProcessor processor,
      ProgressListener progress,
      FailureListener failures,
      AttributeTagger tagger) {
    this.tagger = tagger;
    this.config = config;
    this.store = store;
    this.model = model;
    this.fetcher = fetcher;
    this.progress = progress;
    Path parent = config.catalog().toAbsolutePath().getParent();
    this.baseDir = parent == null ? Path.of("").toAbsolutePath() : parent;
    this.counters = new RunCounters(failures, config.maxErrors(), control);
    this.reader =
        new CatalogStage(config.catalog(), config.format(), config.partition(), control, counters);
    this.decoder = new DecodeStage(processor, counters);
  }

  /**
   * Asks a running indexer to stop gracefully: no more catalog lines are read, products in flight
   * are finished and committed, {@code --prune} is skipped. Safe from any thread (a shutdown hook).
   */
  public void requestStop(String reason) {
    control.stop(reason);
  }

  /** Whether {@link #run} is in progress. */
  public boolean isRunning() {
    return running;
  }

  /**
   * Runs the whole catalog, commits, and returns what happened. Per-product failures are counted
   * and reported to the {@link FailureListener}; they never end the run (but {@link
   * IndexingConfig#maxErrors()} may stop it).
   *
   * @throws IndexingException on a fatal error; the store keeps its last commit
   */
  public IndexingResult run() throws IndexingException, InterruptedException {
    try {
      store.metadata().checkModel(model.spec(), store.location());
    } catch (IOException e) {
      throw new IndexingException(e.getMessage(), e);
    }
    running = true;
    try {
      return runStages();
    } finally {
      running = false;
    }
  }

  private IndexingResult runStages() throws IndexingException, InterruptedException {
    long start = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    Thread reporter = null;
    try (StoreSnapshot snapshot = store.snapshot()) {
      IncrementalPlanner planner =
          new IncrementalPlanner(snapshot, fetcher, baseDir, config.rehash());
      EncodeStage encoder =
          new EncodeStage(model, config.batchSize(), config.maxBatchWait(), clock, counters);
      StoreWriter writer =
          new StoreWriter(
              store, config.commitEvery(), config.commitInterval(), clock, counters, tagger);
      int d = config.decodeThreads();
      int f = config.fetchThreads();
      int batch = config.batchSize();
      Channel<ProductWork> toFetch = new Channel<>("catalog", Math.max(64, 4 * f), 1, control);
      Channel<ProductWork> toDecode = new Channel<>("fetched", 2 * d, f, control);
      Channel<ProductWork> toEncode = new Channel<>("decoded", 2 * batch, d, control);
      Channel<ProductWork> toWrite = new Channel<>("encoded", 2 * batch, 1, control);

      startCounting();
      threads.add(startStage("clipsearch-reader", toFetch, () -> reader.run(toFetch)));
      for (int i = 1; i <= f; i++) {
        threads.add(
            startStage(
                "clipsearch-fetch-" + i,
                toDecode,
                () -> eachProduct(toFetch, toDecode, Stage.FETCH, work -> fetch(planner, work))));
      }
      for (int i = 1; i <= d; i++) {
        threads.add(
            startStage(
                "clipsearch-decode-" + i,
                toEncode,
                () -> eachProduct(toDecode, toEncode, Stage.DECODE, decoder::decode)));
      }
      threads.add(startStage("clipsearch-encoder", toWrite, () -> encoder.run(toEncode, toWrite)));
      for (int i = 1; i <= config.writeThreads(); i++) {
        threads.add(startStage("clipsearch-writer-" + i, null, () -> writer.run(toWrite)));
      }
      reporter = startReporter(start);
      awaitAll(threads);
    } catch (IOException e) {
      control.abort(e);
    } catch (InterruptedException e) {
      control.abort(e);
      threads.forEach(Thread::interrupt);
      throw e;
    } finally {
      if (reporter != null) {
        reporter.interrupt();
      }
    }
    if (control.aborted()) {
      Throwable cause = control.fatal();
      throw new IndexingException(
          "indexing stopped by a fatal error (the index keeps its last commit; a rerun continues"
              + " from there): "
              + cause,
          cause);
    }
    return finish(start);
  }

  /** After the stages: prune when asked and possible, the final commit, the result. */
  private IndexingResult finish(long start) throws IndexingException {
    try {
      long pruned = 0;
      String pruneSkipped = null;
      if (config.prune()) {
        if (!reader.readToTheEnd()) {
          pruneSkipped = "the catalog was not read to the end";
        } else if (control.stopReason() != null) {
          pruneSkipped = "the run stopped early";
        } else {
          pruned = prune();
        }
      }
      IndexingResult.Outcome outcome =
          reader.catalogError() != null
              ? IndexingResult.Outcome.CATALOG_INCOMPLETE
              : control.stopReason() != null
                  ? IndexingResult.Outcome.STOPPED
                  : IndexingResult.Outcome.COMPLETE;
      long t0 = System.nanoTime();
      if (outcome == IndexingResult.Outcome.COMPLETE) {
        // a complete run keeps the merges it started (closing would abort them, leaving the
        // small segments and graphs they were joining); a stopped one should end quickly
        store.awaitMerges();
      }
      store.commit(outcome == IndexingResult.Outcome.COMPLETE ? "complete" : "stopped");
      clock.add(Stage.COMMIT, t0);
      Duration wall = Duration.ofNanos(System.nanoTime() - start);
      progress.onProgress(counters.progress(Duration.ofNanos(System.nanoTime() - start)));
      return counters.result(
          outcome,
          new IndexingResult.Notes(control.stopReason(), reader.catalogError(), pruneSkipped),
          pruned,
          new IndexingResult.Timings(
              clock.snapshot(), config.decodeThreads(), config.fetchThreads(), wall));
    } catch (IOException e) {
      throw new IndexingException("the final commit failed: " + e, e);
    }
  }

  /** The fetch stage for one product; false when it goes no further (unchanged or failed). */
  private boolean fetch(IncrementalPlanner planner, ProductWork work)
      throws IOException, InterruptedException {
    if (work.product.images().isEmpty()) {
      counters.fail(
          ProductFailure.skipped(
              work.line,
              work.product.id(),
              FailureReason.NO_IMAGES,
              "the product lists no image",
              List.of()));
      return false;
    }
    if (planner.plan(work) == IncrementalPlanner.Plan.UNCHANGED) {
      counters.unchanged();
      return false;
    }
    return true;
  }

  private long prune() throws IOException {
    List<String> gone = new ArrayList<>();
    try (StoreSnapshot current = store.snapshot()) {
      current.forEachProductId(
          id -> {
            if (config.partition().contains(id) && !reader.hadId(id)) {
              gone.add(id);
            }
            return true;
          });
    }
    for (String id : gone) {
      store.deleteUnchecked(id);
    }
    if (!gone.isEmpty()) {
      LOG.info(
          "pruned {} products that are no longer in the catalog{}",
          gone.size(),
          config.partition().isAll() ? "" : " (partition " + config.partition() + ")");
    }
    return gone.size();
  }

  // ---- threads ----

  /** One product's step in a stage: true to send it on to the next stage. */
  @FunctionalInterface
  private interface ProductStep {
    boolean apply(ProductWork work) throws IOException, InterruptedException;
  }

  /**
   * A stage loop: applies {@code step} to every product from {@code in}, timed as {@code stage},
   * and forwards those it returns true for. A bug on one product skips that product only.
   */
  private void eachProduct(
      Channel<ProductWork> in, Channel<ProductWork> out, Stage stage, ProductStep step)
      throws IOException, InterruptedException {
    ProductWork work;
    while ((work = in.take()) != null) {
      long t0 = System.nanoTime();
      boolean forward;
      try {
        forward = step.apply(work);
      } catch (RuntimeException e) {
        forward = false;
        counters.internalError(work, e);
      }
      clock.add(stage, t0);
      if (forward) {
        out.put(work);
      }
    }
  }

  private void startCounting() {
    Thread.ofPlatform()
        .name("clipsearch-count")
        .daemon(true)
        .start(
            () ->
                counters.totalEstimate(
                    config
                        .partition()
                        .share(Catalogs.estimateProducts(config.catalog(), config.format()))));
  }

  private Thread startReporter(long start) {
    long millis = Math.max(10, config.progressInterval().toMillis());
    return Thread.ofPlatform()
        .name("clipsearch-progress")
        .daemon(true)
        .start(
            () -> {
              try {
                while (true) {
                  Thread.sleep(millis);
                  progress.onProgress(
                      counters.progress(Duration.ofNanos(System.nanoTime() - start)));
                }
              } catch (InterruptedException e) {
                // the run is over
              }
            });
  }

  /** A stage's body. */
  @FunctionalInterface
  private interface StageBody {
    void run() throws Exception;
  }

  private Thread startStage(String name, Channel<?> output, StageBody body) {
    return Thread.ofPlatform()
        .name(name)
        .daemon(true)
        .start(
            () -> {
              try {
                body.run();
              } catch (RunControl.AbortedException e) {
                // another stage failed; unwind quietly
              } catch (Throwable t) {
                control.abort(t);
              } finally {
                if (output != null) {
                  output.producerDone();
                }
              }
            });
  }

  private void awaitAll(List<Thread> threads) throws InterruptedException {
    boolean interrupted = false;
    for (Thread thread : threads) {
      while (thread.isAlive()) {
        thread.join(100);
        if (control.aborted() && !interrupted) {
          interrupted = true;
          threads.forEach(Thread::interrupt);
        }
      }
    }
  }
}
