package dev.clipsearch.indexer.index.search;

import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexMetadata;
import dev.clipsearch.indexer.index.IndexOpenException;
import dev.clipsearch.indexer.index.IndexSchema;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.indexer.store.SearchStore;
import dev.clipsearch.indexer.store.StoreSizes;
import dev.clipsearch.indexer.store.StoreView;
import dev.clipsearch.models.ModelSpec;
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
 * The embedded Lucene index as a {@link SearchStore}: a {@link SearcherManager} for concurrent
 * searches, reopened by a background thread every {@code refreshInterval}, and, when admin updates
 * are on, the {@link CatalogIndex} writer they go through. Each {@link #view()} holds one acquired
 * searcher until it is closed.
 *
 * <p>Read-only (no admin token): the index is opened without a writer, so an indexer may keep
 * updating it; each of its commits becomes visible at the next refresh. Writable: the server holds
 * the index's write lock (an indexer run then refuses to start, saying so), and the readers are
 * near-real-time readers of that writer: an admin change is committed and visible to searches when
 * its request returns.
 */
public final class LuceneSearchStore implements SearchStore {

  private static final Logger LOG = LoggerFactory.getLogger(LuceneSearchStore.class);

  private final Path path;
  private final IndexMetadata metadata;
  private final CatalogIndex writer;
  private final Directory readOnlyDirectory;
  private final SearcherManager manager;
  private final ScheduledExecutorService refresher;
  private final ProductReader products;
  private final LexicalQueries lexical = new LexicalQueries();

  private LuceneSearchStore(
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
    this.products = new ProductReader(metadata);
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
  public static LuceneSearchStore open(
      Path dir, ModelSpec model, boolean writable, Duration refresh) throws IOException {
    IndexMetadata metadata = CatalogIndex.readMetadata(dir);
    metadata.checkModel(model, dir);
    if (writable) {
      CatalogIndex index = CatalogIndex.openOrCreate(dir, model, IndexSettings.DEFAULTS);
      try {
        SearcherManager manager = new SearcherManager(index.snapshot().reader(), searchers());
        return new LuceneSearchStore(dir, index.metadata(), index, null, manager, refresh);
      } catch (IOException | RuntimeException e) {
        index.close();
        throw e;
      }
    }
    Directory directory = FSDirectory.open(dir);
    try {
      SearcherManager manager = new SearcherManager(directory, searchers());
      return new LuceneSearchStore(dir, metadata, null, directory, manager, refresh);
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
  }

  private static SearcherFactory searchers() {
    return new SearcherFactory();
  }

  /** Which model, vector field and settings the index has. */
  @Override
  public IndexMetadata metadata() {
    return metadata;
  }

  /** The index directory. */
  public Path path() {
    return path;
  }

  @Override
  public String location() {
    return "index " + path;
  }

  @Override
  public boolean writable() {
    return writer != null;
  }

  @Override
  public boolean ready() {
    return true;
  }

  @Override
  public StoreView view() {
    IndexSearcher searcher;
    try {
      searcher = manager.acquire();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot acquire a searcher on " + path, e);
    }
    return new LuceneStoreView(this, searcher, metadata, products, lexical);
  }

  /** Gives back a view's searcher. */
  void release(IndexSearcher searcher) {
    try {
      manager.release(searcher);
    } catch (IOException e) {
      LOG.warn("releasing a searcher of {} failed", path, e);
    }
  }

  /** What a view's read failure becomes. */
  UncheckedIOException searchFailed(IOException e) {
    return new UncheckedIOException("search failed on index " + path, e);
  }

  @Override
  public StoreSizes sizes() {
    long[] counts;
    try (LuceneStoreView view = (LuceneStoreView) view()) {
      IndexSearcher searcher = view.searcher();
      counts =
          new long[] {
            searcher.count(IndexSchema.productsQuery()), searcher.count(IndexSchema.imagesQuery())
          };
    } catch (IOException e) {
      throw searchFailed(e);
    }
    return new StoreSizes(counts[0], counts[1], sizeOnDisk());
  }

  /** Writes a product, commits, and makes it visible to searches before returning. */
  @Override
  public void upsert(IndexedProduct product) throws IOException {
    requireWriter().upsert(product);
    commitAndRefresh("admin upsert");
  }

  /** Deletes a product, commits, and refreshes; {@code false} if it was not there. */
  @Override
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

  /** Bytes of the files in the index directory, -1 when it cannot be listed. */
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
