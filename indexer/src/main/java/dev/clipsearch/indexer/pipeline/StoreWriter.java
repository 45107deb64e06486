package dev.clipsearch.indexer.pipeline;

import dev.clipsearch.indexer.pipeline.ProductWork.ImageWork;
import dev.clipsearch.indexer.report.ImageFailure;
import dev.clipsearch.indexer.report.ProductFailure;
import dev.clipsearch.indexer.store.CatalogStore;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.indexer.tag.AttributeTagger;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The write stage: upserts every finished product into the {@link CatalogStore} (the whole product
 * at once, so a rerun after a crash can never leave half a product) and commits every {@code
 * commitEvery} written products or {@code commitInterval}, whichever comes first ({@link
 * CommitCadence}). Several writer threads may run {@link #run} on the same channel at once: the
 * embedded store builds one segment, and one HNSW graph, per writing thread, so the graph building
 * that dominates a bulk load's writes is spread over the cores. A product indexed without some of
 * its images is reported as partial. With an {@link AttributeTagger}, each written product gets its
 * zero-shot attributes from the vectors just encoded or reused; without one, a changed product
 * keeps the attributes its stored version had.
 */
final class StoreWriter {

  private final CatalogStore store;
  private final CommitCadence commits;
  private final StageClock clock;
  private final RunCounters counters;
  private final AttributeTagger tagger;

  /**
   * @param tagger gives every written product its attributes from its vectors; null to keep the
   *     attributes its stored version had
   */
  StoreWriter(
      CatalogStore store,
      long commitEvery,
      Duration commitInterval,
      StageClock clock,
      RunCounters counters,
      AttributeTagger tagger) {
    this.tagger = tagger;
    this.store = store;
    this.commits = new CommitCadence(store, commitEvery, commitInterval);
    this.clock = clock;
    this.counters = counters;
  }

  /**
   * Writes everything {@code in} delivers until it is done, committing ({@code "running"}) when the
   * cadence says so. Safe to run on several threads over one channel.
   */
  void run(Channel<ProductWork> in) throws IOException, InterruptedException {
    while (true) {
      ProductWork work = in.poll(200);
      if (work == null && in.isDone()) {
        return;
      }
      if (work != null && write(work)) {
        commits.written();
      }
      long t0 = System.nanoTime();
      if (commits.commitIfDue("running")) {
        clock.add(Stage.COMMIT, t0);
      }
    }
  }

  /** The product to write, tagged from its vectors (no second encode), or with its old tags. */
  private IndexedProduct withAttributes(ProductWork work) {
    IndexedProduct indexed = work.toIndexed();
    if (tagger == null) {
      return work.storedAttributes.isEmpty()
          ? indexed
          : indexed.withFacetAttributes(work.storedAttributes);
    }
    List<float[]> vectors = new ArrayList<>(indexed.images().size());
    for (IndexedImage image : indexed.images()) {
      vectors.add(image.vector());
    }
    return indexed.withFacetAttributes(tagger.tag(vectors));
  }

  private boolean write(ProductWork work) throws IOException {
    long t0 = System.nanoTime();
    try {
      store.upsert(withAttributes(work));
      int reused = 0;
      for (ImageWork image : work.images) {
        if (image.reused != null) {
          reused++;
        }
      }
      counters.written(work.existed, reused);
      List<ImageFailure> imageFailures = work.imageFailures();
      if (!imageFailures.isEmpty()) {
        counters.fail(ProductFailure.partial(work.line, work.product.id(), imageFailures));
      }
      return true;
    } catch (IllegalArgumentException e) {
      counters.internalError(work, e);
      return false;
    } finally {
      clock.add(Stage.WRITE, t0);
    }
  }
}
