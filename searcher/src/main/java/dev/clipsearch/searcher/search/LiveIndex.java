package dev.clipsearch.searcher.search;

import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexMetadata;
import dev.clipsearch.indexer.index.IndexOpenException;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.models.ModelSpec;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index as the server sees it: a {@link SearcherManager} for concurrent searches, reopened by a
 * background thread every {@code refreshInterval}, and, when admin updates are on, the {@link
 * CatalogIndex} writer they go through.
 *
 * <p>Read-only (no admin token): the index is opened without a writer, so an indexer may keep
 * updating it; each of its commits becomes visible at the next refresh. Writable: the server holds
 * the index's write lock (an indexer run then refuses to start, saying so), and the readers are
 * near-real-time readers of that writer: an admin change is committed and visible to searches when
 * its request returns.
 */
public final class LiveIndex implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(LiveIndex.class);

  private final Path path;
  private final IndexMetadata metadata;
  private final CatalogIndex writer;
  private final Directory readOnlyDirectory;
  private final SearcherManager manager;
  private final ScheduledExecutorService refresher;

  private LiveIndex(
      Path path,
      IndexMetadata metadata,
      CatalogIndex writer,
      Directory readOnlyDirectory,
      SearcherManager manager,
      Duration refreshInterval) {
    this.path = path;
    this.metadata = metadata;
    this.writer = writer;
    this.readOnlyDirectory = readOnlyDirectory;
    this.manager = manager;
    this.refresher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "clipsearch-reader-refresh");
              t.setDaemon(true);
              return t;
            });
    long millis = Math.max(1, refreshInterval.toMillis());
    refresher.scheduleWithFixedDelay(this::refreshQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Opens the index in {@code dir} for searching.
   *
   * @param model the model that will encode queries; refused unless it built the index
   * @param writable whether to take the write lock for admin updates
   * @throws IndexOpenException when there is no clipsearch index in {@code dir}, another process
   *     writes to it (writable only), or it was built by another model ({@code
   *     ModelMismatchException}, naming both models)
   */
  public static LiveIndex open(Path dir, ModelSpec model, boolean writable, Duration refresh)
      throws IOException {
    IndexMetadata metadata = CatalogIndex.readMetadata(dir);
    metadata.checkModel(model, dir);
    if (writable) {
      CatalogIndex index = CatalogIndex.openOrCreate(dir, model, IndexSettings.DEFAULTS);
      try {
        SearcherManager manager = new SearcherManager(index.snapshot().reader(), searchers());
        return new LiveIndex(dir, index.metadata(), index, null, manager, refresh);
      } catch (IOException | RuntimeException e) {
        index.close();
        throw e;
      }
    }
    Directory directory = FSDirectory.open(dir);
    try {
      SearcherManager manager = new SearcherManager(directory, searchers());
      return new LiveIndex(dir, metadata, null, directory, manager, refresh);
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
  }

  private static SearcherFactory searchers() {
    return new SearcherFactory();
  }

  /** Which model, vector field and settings the index has. */
  public IndexMetadata metadata() {
    return metadata;
  }

  /** The index directory. */
  public Path path() {
    return path;
  }

  /** Whether admin writes are possible. */
  public boolean writable() {
    return writer != null;
  }

  /** A function of a searcher, which may throw {@link IOException}. */
  @FunctionalInterface
  public interface SearchCall<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  /** Runs {@code call} on the current searcher, released afterwards. */
  public <T> T search(SearchCall<T> call) {
    IndexSearcher searcher;
    try {
      searcher = manager.acquire();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot acquire a searcher on " + path, e);
    }
    try {
      return call.apply(searcher);
    } catch (IOException e) {
      throw new UncheckedIOException("search failed on index " + path, e);
    } finally {
      try {
        manager.release(searcher);
      } catch (IOException e) {
        LOG.warn("releasing a searcher of {} failed", path, e);
      }
    }
  }

  /** Writes a product, commits, and makes it visible to searches before returning. */
  public void upsert(IndexedProduct product) throws IOException {
    requireWriter().upsert(product);
    commitAndRefresh("admin upsert");
  }

  /** Deletes a product, commits, and refreshes; {@code false} if it was not there. */
  public boolean delete(String id) throws IOException {
    List<String> deleted = requireWriter().delete(List.of(id));
    if (deleted.isEmpty()) {
      return false;
    }
    commitAndRefresh("admin delete");
    return true;
  }

  private void commitAndRefresh(String what) throws IOException {
    writer.commit(what);
    manager.maybeRefreshBlocking();
  }

  private CatalogIndex requireWriter() {
    if (writer == null) {
      throw new IllegalStateException("index " + path + " is open read-only");
    }
    return writer;
  }

  /** Reopens the reader now if the index changed. */
  public void refresh() throws IOException {
    manager.maybeRefreshBlocking();
  }

  private void refreshQuietly() {
    try {
      manager.maybeRefresh();
    } catch (IOException | RuntimeException e) {
      LOG.warn("refreshing the reader of {} failed; will retry", path, e);
    }
  }

  /** Bytes of the files in the index directory. */
  public long sizeOnDisk() {
    try (Stream<Path> files = Files.list(path)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0; // merged away between listing and sizing
                }
              })
          .sum();
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public void close() throws IOException {
    refresher.shutdownNow();
    try {
      refresher.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      manager.close();
    } finally {
      if (writer != null) {
        writer.close();
      }
      if (readOnlyDirectory != null) {
        readOnlyDirectory.close();
      }
    }
  }
}
