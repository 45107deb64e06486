package dev.clipsearch.indexer.pipeline;

import dev.clipsearch.indexer.catalog.CatalogException;
import dev.clipsearch.indexer.catalog.CatalogFormat;
import dev.clipsearch.indexer.catalog.CatalogItem;
import dev.clipsearch.indexer.catalog.CatalogReader;
import dev.clipsearch.indexer.report.FailureReason;
import dev.clipsearch.indexer.report.ProductFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader stage, on one thread: reads the catalog line by line, reports malformed lines and
 * duplicate ids (the first line with an id wins), and sends every valid product on. Remembers every
 * id it saw, for {@code --prune}, and whether the catalog was read to the end.
 *
 * <p>With a {@link Partition} other than the whole catalog it reads every line but keeps only the
 * entries whose id falls in its part: the others are counted as outside the partition and go no
 * further (not reported, not remembered). A malformed line without a readable id belongs to no
 * partition by its id; the run of partition 0 reports it, so that the N runs together report it
 * once.
 */
final class CatalogStage {

  private static final Logger LOG = LoggerFactory.getLogger(CatalogStage.class);

  private final Path catalog;
  private final CatalogFormat format;
  private final RunControl control;
  private final RunCounters counters;
  private final Partition partition;
  private final IdSet ids = new IdSet();
  private volatile String catalogError;
  private volatile boolean complete;

  CatalogStage(
      Path catalog,
      CatalogFormat format,
      Partition partition,
      RunControl control,
      RunCounters counters) {
    this.catalog = catalog;
    this.format = format;
    this.partition = partition;
    this.control = control;
    this.counters = counters;
  }

  /** Reads until the end of the catalog, a catalog error, or a stop request. */
  void run(Channel<ProductWork> out) throws IOException, InterruptedException {
    try (CatalogReader reader = CatalogReader.open(catalog, format)) {
      CatalogItem item = null;
      while (!control.stopping() && (item = reader.next()) != null) {
        if (!inPartition(item)) {
          counters.outsidePartition();
          continue;
        }
        counters.entryRead();
        switch (item) {
          case CatalogItem.Invalid invalid -> {
            if (invalid.productId() != null) {
              ids.add(invalid.productId());
            }
            counters.fail(
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
              counters.fail(
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
      complete = item == null;
    } catch (CatalogException e) {
      catalogError = e.getMessage();
      LOG.error("catalog read stopped: {}", e.getMessage());
    }
  }

  /** Whether this run handles the entry: its id is in the partition (see the class comment). */
  private boolean inPartition(CatalogItem item) {
    if (partition.isAll()) {
      return true;
    }
    String id =
        switch (item) {
          case CatalogItem.Invalid invalid -> invalid.productId();
          case CatalogItem.Valid valid -> valid.product().id();
        };
    return id == null ? partition.index() == 0 : partition.contains(id);
  }

  /** Why the catalog could not be read to the end, or null. */
  String catalogError() {
    return catalogError;
  }

  /** Whether every line of the catalog was read. */
  boolean readToTheEnd() {
    return catalogError == null && complete;
  }

  /**
   * Whether the catalog had this id (valid or not). Call only after {@link #run} returned: the id
   * set is not thread-safe.
   */
  boolean hadId(String id) {
    return ids.contains(id);
  }
}
