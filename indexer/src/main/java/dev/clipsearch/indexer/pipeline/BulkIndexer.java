package dev.clipsearch.indexer.pipeline;

import dev.clipsearch.common.catalog.ProductHashes;
import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.indexer.catalog.CatalogException;
import dev.clipsearch.indexer.catalog.CatalogItem;
import dev.clipsearch.indexer.catalog.CatalogReader;
import dev.clipsearch.indexer.catalog.Catalogs;
import dev.clipsearch.indexer.catalog.ImageSource;
import dev.clipsearch.indexer.fetch.FetchException;
import dev.clipsearch.indexer.fetch.ImageFetcher;
import dev.clipsearch.indexer.image.ImageProcessor;
import dev.clipsearch.indexer.image.ImageRejectedException;
import dev.clipsearch.indexer.image.ProcessedImage;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexSnapshot;
import dev.clipsearch.indexer.index.IndexedImage;
import dev.clipsearch.indexer.index.StoredProduct;
import dev.clipsearch.indexer.pipeline.ProductWork.ImageWork;
import dev.clipsearch.indexer.report.FailureReason;
import dev.clipsearch.indexer.report.ImageFailure;
import dev.clipsearch.indexer.report.ProductFailure;
import dev.clipsearch.models.ClipModel;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indexes a whole catalog into a {@link CatalogIndex}: streaming, with bounded memory, incremental
 * and crash-safe.
 *
 * <pre>
 * reader ─▶ [fetch ×F] ─▶ [decode ×D] ─▶ batcher/encoder ─▶ writer ─▶ periodic commits
 *   1 thread   I/O threads    CPU threads     1 thread        1 thread
 * </pre>
 *
 * <p>Every arrow is a bounded {@link Channel}, so memory stays bounded whatever the catalog size:
 * at most a few batches of decoded tensors and a few products of raw bytes are in flight. The
 * decode threads keep the encoder's input channel full, so the encoder (the GPU, when there is one)
 * never waits on decoding while there are cores to decode with; the time it did wait is reported as
 * {@link Stage#ENCODER_IDLE}.
 *
 * <p>Incremental: the fetch stage looks every product up in a snapshot of the index taken at the
 * start. A product whose sync key (fields + image fingerprints) is unchanged is skipped without
 * reading its images. A changed product reuses the stored vector of every image whose fingerprint
 * or bytes are unchanged, so a price change costs no model call.
 *
 * <p>Crash safety: products are written as whole blocks, and commits happen every {@link
 * IndexingConfig#commitEvery()} products or {@link IndexingConfig#commitInterval()}. After a crash
 * the index opens at its last commit; a rerun skips what was committed and redoes the rest, and the
 * id-keyed block updates make duplicates impossible.
 */
public final class BulkIndexer {

  private static final Logger LOG = LoggerFactory.getLogger(BulkIndexer.class);

  /** Model failures in a row after which the run is aborted (the model is broken, not the data). */
  static final int MAX_CONSECUTIVE_ENCODE_FAILURES = 3;

  private final IndexingConfig config;
  private final CatalogIndex index;
  private final ClipModel model;
  private final ImageFetcher fetcher;
  private final ImageProcessor processor;
  private final ProgressListener progress;
  private final FailureListener failures;
  private final Path baseDir;

  private final RunControl control = new RunControl();
  private final StageClock clock = new StageClock();
  private final IdSet ids = new IdSet();
  private final AtomicLong entries = new AtomicLong();
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
  private volatile String catalogError;
  private volatile boolean catalogComplete;
  private volatile boolean running;

  public BulkIndexer(
      IndexingConfig config,
      CatalogIndex index,
      ClipModel model,
      ImageFetcher fetcher,
      ImageProcessor processor,
      ProgressListener progress,
      FailureListener failures) {
    this.config = config;
    this.index = index;
    this.model = model;
    this.fetcher = fetcher;
    this.processor = processor;
    this.progress = progress;
    this.failures = failures;
    Path parent = config.catalog().toAbsolutePath().getParent();
    this.baseDir = parent == null ? Path.of("").toAbsolutePath() : parent;
    for (FailureReason reason : FailureReason.values()) {
      productFailures.put(reason, new LongAdder());
      imageFailures.put(reason, new LongAdder());
    }
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
   * @throws IndexingException on a fatal error; the index keeps its last commit
   */
  public IndexingResult run() throws IndexingException, InterruptedException {
    try {
      index.metadata().checkModel(model.spec(), index.path());
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
    try (IndexSnapshot snapshot = index.snapshot()) {
      int d = config.decodeThreads();
      int f = config.fetchThreads();
      int batch = config.batchSize();
      Channel<ProductWork> toFetch = new Channel<>("catalog", Math.max(64, 4 * f), 1, control);
      Channel<ProductWork> toDecode = new Channel<>("fetched", 2 * d, f, control);
      Channel<ProductWork> toEncode = new Channel<>("decoded", 2 * batch, d, control);
      Channel<ProductWork> toWrite = new Channel<>("encoded", 2 * batch, 1, control);

      startCounting();
      threads.add(startStage("clipsearch-reader", toFetch, () -> readCatalog(toFetch)));
      for (int i = 1; i <= f; i++) {
        threads.add(
            startStage(
                "clipsearch-fetch-" + i, toDecode, () -> fetchLoop(snapshot, toFetch, toDecode)));
      }
      for (int i = 1; i <= d; i++) {
        threads.add(
            startStage("clipsearch-decode-" + i, toEncode, () -> decodeLoop(toEncode, toDecode)));
      }
      threads.add(startStage("clipsearch-encoder", toWrite, () -> encodeLoop(toEncode, toWrite)));
      threads.add(startStage("clipsearch-writer", null, () -> writeLoop(toWrite)));
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
    try {
      long pruned = 0;
      String pruneSkipped = null;
      if (config.prune()) {
        if (catalogError != null || !catalogComplete) {
          pruneSkipped = "the catalog was not read to the end";
        } else if (control.stopReason() != null) {
          pruneSkipped = "the run stopped early";
        } else {
          pruned = prune();
        }
      }
      IndexingResult.Outcome outcome =
          catalogError != null
              ? IndexingResult.Outcome.CATALOG_INCOMPLETE
              : control.stopReason() != null
                  ? IndexingResult.Outcome.STOPPED
                  : IndexingResult.Outcome.COMPLETE;
      long t0 = System.nanoTime();
      index.commit(outcome == IndexingResult.Outcome.COMPLETE ? "complete" : "stopped");
      clock.add(Stage.COMMIT, t0);
      Duration wall = Duration.ofNanos(System.nanoTime() - start);
      progress.onProgress(progressSnapshot(start));
      return result(outcome, pruned, pruneSkipped, wall);
    } catch (IOException e) {
      throw new IndexingException("the final commit failed: " + e, e);
    }
  }

  // ---- stages ----

  private void readCatalog(Channel<ProductWork> out) throws IOException, InterruptedException {
    try (CatalogReader reader = CatalogReader.open(config.catalog(), config.format())) {
      CatalogItem item = null;
      while (!control.stopping() && (item = reader.next()) != null) {
        entries.incrementAndGet();
        switch (item) {
          case CatalogItem.Invalid invalid -> {
            if (invalid.productId() != null) {
              ids.add(invalid.productId());
            }
            fail(
                ProductFailure.skipped(
                    invalid.line(),
                    invalid.productId(),
                    invalid.reason(),
                    invalid.message(),
                    List.of()));
          }
          case CatalogItem.Valid valid -> {
            String id = valid.product().id();
            if (!ids.add(id)) {
              fail(
                  ProductFailure.skipped(
                      valid.line(),
                      id,
                      FailureReason.DUPLICATE_ID,
                      "id \"" + id + "\" is already used by an earlier line; the first one wins",
                      List.of()));
            } else {
              out.put(new ProductWork(valid.line(), valid.product()));
            }
          }
        }
      }
      catalogComplete = item == null;
    } catch (CatalogException e) {
      catalogError = e.getMessage();
      LOG.error("catalog read stopped: {}", e.getMessage());
    }
  }

  private void fetchLoop(IndexSnapshot snapshot, Channel<ProductWork> in, Channel<ProductWork> out)
      throws IOException, InterruptedException {
    ProductWork work;
    while ((work = in.take()) != null) {
      long t0 = System.nanoTime();
      boolean forward;
      try {
        forward = fetch(snapshot, work);
      } catch (RuntimeException e) {
        forward = false;
        internalError(work, e);
      }
      clock.add(Stage.FETCH, t0);
      if (forward) {
        out.put(work);
      }
    }
  }

  /** Fetch stage for one product; false when it goes no further (unchanged or failed). */
  private boolean fetch(IndexSnapshot snapshot, ProductWork work)
      throws IOException, InterruptedException {
    if (work.product.images().isEmpty()) {
      fail(
          ProductFailure.skipped(
              work.line,
              work.product.id(),
              FailureReason.NO_IMAGES,
              "the product lists no image",
              List.of()));
      return false;
    }
    work.json = ProductJson.canonical(work.product);
    List<ProductHashes.ImageKey> keys = new ArrayList<>();
    for (String ref : work.product.images()) {
      ImageWork image = new ImageWork(work, work.images.size(), ref);
      work.images.add(image);
      try {
        image.source = ImageSource.resolve(ref, baseDir);
        image.fingerprint = fetcher.fingerprint(image.source);
        if (config.rehash()) {
          readBytes(image);
        }
      } catch (IllegalArgumentException e) {
        image.fail(FailureReason.UNSUPPORTED_SOURCE, e.getMessage());
      } catch (FetchException e) {
        image.fail(e.reason(), e.getMessage());
      }
      keys.add(
          new ProductHashes.ImageKey(
              ref,
              image.failure == null
                  ? image.fingerprint
                  : "failed:" + image.failure.reason().code()));
    }
    work.syncKey = ProductHashes.syncKey(work.json, keys);
    StoredProduct existing = snapshot.find(work.product.id());
    work.existed = existing != null;
    List<IndexedImage> stored = null;
    if (existing != null && existing.failedImages() == 0 && existing.hasSyncKey(work.syncKey)) {
      // Unchanged by its fingerprints: skip, unless --rehash finds different bytes.
      if (!config.rehash()) {
        unchanged.incrementAndGet();
        return false;
      }
      stored = existing.images();
      if (sameBytes(work, stored)) {
        unchanged.incrementAndGet();
        return false;
      }
    }
    if (stored == null) {
      stored = existing == null ? List.of() : existing.images();
    }
    Map<String, IndexedImage> byFingerprint = new HashMap<>();
    Map<String, IndexedImage> bySha = new HashMap<>();
    for (IndexedImage image : stored) {
      byFingerprint.put(image.source() + "\n" + image.fingerprint(), image);
      bySha.put(image.sha256(), image);
    }
    for (ImageWork image : work.images) {
      if (image.failure != null) {
        continue;
      }
      IndexedImage reuse =
          config.rehash() ? null : byFingerprint.get(image.ref + "\n" + image.fingerprint);
      if (reuse == null) {
        if (image.bytes == null) {
          try {
            readBytes(image);
          } catch (FetchException e) {
            image.fail(e.reason(), e.getMessage());
            continue;
          }
        }
        reuse = bySha.get(image.sha256);
      }
      if (reuse != null) {
        image.reused = reuse;
        image.bytes = null;
      }
    }
    return true;
  }

  private void readBytes(ImageWork image) throws FetchException, InterruptedException {
    image.bytes = fetcher.fetch(image.source);
    image.sha256 = ProductHashes.sha256Hex(image.bytes);
  }

  private static boolean sameBytes(ProductWork work, List<IndexedImage> stored) {
    if (stored.size() != work.images.size()) {
      return false;
    }
    for (int i = 0; i < stored.size(); i++) {
      String sha = work.images.get(i).sha256;
      if (sha == null || !sha.equals(stored.get(i).sha256())) {
        return false;
      }
    }
    return true;
  }

  private void decodeLoop(Channel<ProductWork> out, Channel<ProductWork> in)
      throws InterruptedException {
    ProductWork work;
    while ((work = in.take()) != null) {
      long t0 = System.nanoTime();
      boolean forward;
      try {
        forward = decode(work);
      } catch (RuntimeException e) {
        forward = false;
        internalError(work, e);
      }
      clock.add(Stage.DECODE, t0);
      if (forward) {
        out.put(work);
      }
    }
  }

  private boolean decode(ProductWork work) {
    for (ImageWork image : work.images) {
      if (!image.needsDecode()) {
        continue;
      }
      try {
        ProcessedImage processed = processor.process(image.bytes, image.ref);
        image.pixels = processed.pixels();
        image.width = processed.width();
        image.height = processed.height();
        image.thumbnail = processed.thumbnail();
      } catch (ImageRejectedException e) {
        image.fail(e.reason(), e.getMessage());
      } catch (RuntimeException e) {
        // Image decoders throw all sorts of runtime exceptions on damaged files.
        image.fail(FailureReason.CORRUPT_IMAGE, image.ref + ": decoder failed: " + e);
      } finally {
        image.bytes = null;
      }
    }
    if (!work.hasUsableImage()) {
      List<ImageFailure> imageFailures = work.imageFailures();
      fail(
          ProductFailure.skipped(
              work.line,
              work.product.id(),
              FailureReason.NO_USABLE_IMAGE,
              "none of its "
                  + imageFailures.size()
                  + " image(s) could be used (first: "
                  + imageFailures.get(0).reason().description()
                  + ")"
                  + keptNote(work),
              imageFailures));
      return false;
    }
    return true;
  }

  private void encodeLoop(Channel<ProductWork> in, Channel<ProductWork> out)
      throws InterruptedException {
    ArrayDeque<ProductWork> waiting = new ArrayDeque<>();
    List<ImageWork> pending = new ArrayList<>();
    int[] consecutiveFailures = {0};
    long waitMillis = Math.max(1, config.maxBatchWait().toMillis());
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
        while (pending.size() >= config.batchSize()) {
          encodeBatch(pending, config.batchSize(), consecutiveFailures);
        }
      } else if (in.isDone()) {
        while (!pending.isEmpty()) {
          encodeBatch(pending, Math.min(config.batchSize(), pending.size()), consecutiveFailures);
        }
        forwardFinished(waiting, out);
        return;
      } else if (!pending.isEmpty()) {
        // Starved: encode what we have rather than wait for a full batch.
        encodeBatch(pending, Math.min(config.batchSize(), pending.size()), consecutiveFailures);
      }
      forwardFinished(waiting, out);
    }
  }

  private void encodeBatch(List<ImageWork> pending, int n, int[] consecutiveFailures) {
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
      consecutiveFailures[0] = 0;
    } catch (RuntimeException e) {
      clock.add(Stage.ENCODE, t0);
      LOG.warn("encoding a batch of {} images failed: {}", n, e.toString());
      if (++consecutiveFailures[0] >= MAX_CONSECUTIVE_ENCODE_FAILURES) {
        throw new IllegalStateException(
            "the model failed on " + consecutiveFailures[0] + " batches in a row", e);
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
    imagesEncoded.addAndGet(n);
  }

  private void forwardFinished(ArrayDeque<ProductWork> waiting, Channel<ProductWork> out)
      throws InterruptedException {
    for (Iterator<ProductWork> it = waiting.iterator(); it.hasNext(); ) {
      ProductWork work = it.next();
      if (work.encodeFailure != null) {
        it.remove();
        fail(
            ProductFailure.skipped(
                work.line,
                work.product.id(),
                FailureReason.ENCODE_FAILED,
                "the model failed on its batch: " + work.encodeFailure + keptNote(work),
                work.imageFailures()));
      } else if (work.encoded()) {
        it.remove();
        out.put(work);
      }
    }
  }

  private void writeLoop(Channel<ProductWork> in) throws IOException, InterruptedException {
    long sinceCommit = 0;
    long lastCommit = System.nanoTime();
    long intervalNanos = config.commitInterval().toNanos();
    while (true) {
      ProductWork work = in.poll(200);
      if (work == null && in.isDone()) {
        return;
      }
      if (work != null) {
        long t0 = System.nanoTime();
        try {
          index.upsert(work.toIndexed());
          (work.existed ? updated : added).incrementAndGet();
          for (ImageWork image : work.images) {
            if (image.reused != null) {
              imagesReused.incrementAndGet();
            }
          }
          List<ImageFailure> imageFailures = work.imageFailures();
          if (!imageFailures.isEmpty()) {
            fail(ProductFailure.partial(work.line, work.product.id(), imageFailures));
          }
          sinceCommit++;
        } catch (IllegalArgumentException e) {
          internalError(work, e);
        }
        clock.add(Stage.WRITE, t0);
      }
      if (sinceCommit > 0
          && (sinceCommit >= config.commitEvery()
              || System.nanoTime() - lastCommit >= intervalNanos)) {
        long t0 = System.nanoTime();
        index.commit("running");
        clock.add(Stage.COMMIT, t0);
        sinceCommit = 0;
        lastCommit = System.nanoTime();
      }
    }
  }

  private long prune() throws IOException {
    List<String> gone = new ArrayList<>();
    try (IndexSnapshot current = index.snapshot()) {
      current.forEachProductId(
          id -> {
            if (!ids.contains(id)) {
              gone.add(id);
            }
            return true;
          });
    }
    for (String id : gone) {
      index.deleteUnchecked(id);
    }
    if (!gone.isEmpty()) {
      LOG.info("pruned {} products that are no longer in the catalog", gone.size());
    }
    return gone.size();
  }

  // ---- failures, progress, threads ----

  private void fail(ProductFailure failure) {
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
    failures.onFailure(failure);
    if (config.maxErrors() >= 0 && failed.get() > config.maxErrors()) {
      control.stop("more than " + config.maxErrors() + " products failed (--max-errors)");
    }
  }

  private void internalError(ProductWork work, RuntimeException e) {
    LOG.error("product {} (line {}): unexpected error", work.product.id(), work.line, e);
    fail(
        ProductFailure.skipped(
            work.line,
            work.product.id(),
            FailureReason.INTERNAL_ERROR,
            e.toString() + keptNote(work),
            work.imageFailures()));
  }

  private static String keptNote(ProductWork work) {
    return work.existed ? "; the version indexed earlier is kept" : "";
  }

  private Progress progressSnapshot(long start) {
    long done = added.get() + updated.get() + unchanged.get() + failed.get();
    return new Progress(
        done,
        totalEstimate.get(),
        added.get() + updated.get(),
        unchanged.get(),
        failed.get(),
        Duration.ofNanos(System.nanoTime() - start));
  }

  private void startCounting() {
    Thread.ofPlatform()
        .name("clipsearch-count")
        .daemon(true)
        .start(
            () -> totalEstimate.set(Catalogs.estimateProducts(config.catalog(), config.format())));
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
                  progress.onProgress(progressSnapshot(start));
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

  private IndexingResult result(
      IndexingResult.Outcome outcome, long pruned, String pruneSkipped, Duration wall) {
    Map<FailureReason, Long> byProduct = new EnumMap<>(FailureReason.class);
    Map<FailureReason, Long> byImage = new EnumMap<>(FailureReason.class);
    productFailures.forEach(
        (r, n) -> {
          if (n.sum() > 0) {
            byProduct.put(r, n.sum());
          }
        });
    imageFailures.forEach(
        (r, n) -> {
          if (n.sum() > 0) {
            byImage.put(r, n.sum());
          }
        });
    return new IndexingResult(
        outcome,
        control.stopReason(),
        catalogError,
        entries.get(),
        added.get(),
        updated.get(),
        unchanged.get(),
        failed.get(),
        partial.get(),
        pruned,
        pruneSkipped,
        imagesEncoded.get(),
        imagesReused.get(),
        imagesFailed.get(),
        byProduct,
        byImage,
        clock.snapshot(),
        config.decodeThreads(),
        config.fetchThreads(),
        wall);
  }
}
