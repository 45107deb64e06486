package dev.clipsearch.indexer.index;

import dev.clipsearch.indexer.store.CatalogStore;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.models.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * The embedded Lucene {@link CatalogStore}: a clipsearch index directory opened for writing, the
 * only way the indexer (and the searcher's admin updates) change it. It owns the Lucene {@link
 * IndexWriter}, records the {@link IndexMetadata} in every commit, and refuses a model other than
 * the one that built the index.
 *
 * <p>Writes become durable only at {@link #commit}; a crash (even {@code kill -9}) at any moment
 * leaves the last commit intact, and it opens normally. Thread-safe: {@link #upsert} and {@link
 * #delete} may be called from several threads.
 */
public final class CatalogIndex implements CatalogStore {

  /** Default indexing RAM buffer: larger buffers mean fewer, larger segments to merge. */
  public static final double DEFAULT_RAM_BUFFER_MB = 256;

  static final String KEY_LAST_COMMIT = IndexMetadata.PREFIX + "last_commit";
  static final String KEY_LAST_RUN = IndexMetadata.PREFIX + "last_run";

  private final Path path;
  private final Directory directory;
  private final IndexWriter writer;
  private final IndexMetadata metadata;
  private final ProductDocuments documents;
  private final boolean created;
  private final Clock clock;

  private CatalogIndex(
      Path path,
      Directory directory,
      IndexWriter writer,
      IndexMetadata metadata,
      boolean created,
      Clock clock) {
    this.path = path;
    this.directory = directory;
    this.writer = writer;
    this.metadata = metadata;
    this.documents = new ProductDocuments(metadata);
    this.created = created;
    this.clock = clock;
  }

  /**
   * Opens the index in {@code dir} for the given model, creating it (and the directory) with {@code
   * settingsIfNew} when there is none. An existing index keeps its own settings.
   *
   * @throws ModelMismatchException when the index was built with another model
   * @throws IndexOpenException when {@code dir} holds something else, or another process writes to
   *     the index
   */
  public static CatalogIndex openOrCreate(Path dir, ModelSpec model, IndexSettings settingsIfNew)
      throws IOException {
    return openOrCreate(dir, model, settingsIfNew, DEFAULT_RAM_BUFFER_MB, Clock.systemUTC());
  }

  /** As {@link #openOrCreate(Path, ModelSpec, IndexSettings)}, with a RAM buffer and a clock. */
  public static CatalogIndex openOrCreate(
      Path dir, ModelSpec model, IndexSettings settingsIfNew, double ramBufferMb, Clock clock)
      throws IOException {
    Files.createDirectories(dir);
    Directory directory = FSDirectory.open(dir);
    try {
      IndexMetadata metadata;
      boolean create = !DirectoryReader.indexExists(directory);
      if (create) {
        refuseForeignFiles(dir);
        metadata = IndexMetadata.forNewIndex(model, settingsIfNew, clock.instant());
      } else {
        metadata = readMetadata(directory, dir);
        metadata.checkModel(model, dir);
      }
      CatalogIndex index =
          new CatalogIndex(
              dir,
              directory,
              openWriter(directory, dir, metadata, ramBufferMb),
              metadata,
              create,
              clock);
      if (create) {
        index.commit("created");
      }
      return index;
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
  }

  /**
   * Opens an existing index for deletes, whatever model built it.
   *
   * @throws IndexOpenException when there is no clipsearch index in {@code dir}
   */
  public static CatalogIndex openExisting(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IndexOpenException("no index at " + dir + ": no such directory");
    }
    Directory directory = FSDirectory.open(dir);
    try {
      if (!DirectoryReader.indexExists(directory)) {
        throw new IndexOpenException("no index at " + dir);
      }
      IndexMetadata metadata = readMetadata(directory, dir);
      return new CatalogIndex(
          dir,
          directory,
          openWriter(directory, dir, metadata, DEFAULT_RAM_BUFFER_MB),
          metadata,
          false,
          Clock.systemUTC());
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
  }

  /**
   * The metadata of the index in {@code dir}, read from its last commit without opening it.
   *
   * @throws IndexOpenException when there is no clipsearch index there
   */
  public static IndexMetadata readMetadata(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IndexOpenException("no index at " + dir + ": no such directory");
    }
    try (Directory directory = FSDirectory.open(dir)) {
      if (!DirectoryReader.indexExists(directory)) {
        throw new IndexOpenException("no index at " + dir);
      }
      return readMetadata(directory, dir);
    }
  }

  /** Counts and sizes of the last commit of the index in {@code dir}; needs no lock. */
  public static IndexStats stats(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IndexOpenException("no index at " + dir + ": no such directory");
    }
    try (Directory directory = FSDirectory.open(dir)) {
      if (!DirectoryReader.indexExists(directory)) {
        throw new IndexOpenException("no index at " + dir);
      }
      try (DirectoryReader reader = DirectoryReader.open(directory)) {
        IndexCommit commit = reader.getIndexCommit();
        Map<String, String> data = commit.getUserData();
        IndexMetadata metadata = IndexMetadata.fromUserData(data, dir);
        IndexSearcher searcher = new IndexSearcher(reader);
        long size = 0;
        for (String file : commit.getFileNames()) {
          size += directory.fileLength(file);
        }
        Instant lastCommit = null;
        try {
          String when = data.get(KEY_LAST_COMMIT);
          lastCommit = when == null ? null : Instant.parse(when);
        } catch (DateTimeParseException e) {
          lastCommit = null;
        }
        return new IndexStats(
            dir,
            searcher.count(IndexSchema.productsQuery()),
            searcher.count(IndexSchema.imagesQuery()),
            reader.leaves().size(),
            reader.numDeletedDocs(),
            size,
            metadata,
            lastCommit,
            data.getOrDefault(KEY_LAST_RUN, "unknown"));
      }
    }
  }

  private static IndexMetadata readMetadata(Directory directory, Path dir) throws IOException {
    return IndexMetadata.fromUserData(SegmentInfos.readLatestCommit(directory).getUserData(), dir);
  }

  private static void refuseForeignFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<String> foreign =
          files
              .map(p -> p.getFileName().toString())
              .filter(name -> !name.equals(IndexWriter.WRITE_LOCK_NAME))
              .sorted()
              .limit(5)
              .toList();
      if (!foreign.isEmpty()) {
        throw new IndexOpenException(
            dir
                + " is not empty and holds no index (found "
                + String.join(", ", foreign)
                + "); refusing to create an index there");
      }
    }
  }

  private static IndexWriter openWriter(
      Directory directory, Path dir, IndexMetadata metadata, double ramBufferMb)
      throws IOException {
    IndexWriterConfig config =
        new IndexWriterConfig(IndexSchema.analyzer())
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
            .setCodec(new ClipsearchCodec(metadata.vectorField(), metadata.settings()))
            .setRAMBufferSizeMB(ramBufferMb)
            .setCommitOnClose(false);
    try {
      return new IndexWriter(directory, config);
    } catch (LockObtainFailedException e) {
      throw new IndexOpenException(
          "index "
              + dir
              + " is being written by another process (an indexer, or a server accepting admin"
              + " updates); only one writer at a time",
          e);
    }
  }

  /** The index directory. */
  public Path path() {
    return path;
  }

  /** The index directory, for messages. */
  @Override
  public String location() {
    return path.toString();
  }

  @Override
  public IndexMetadata metadata() {
    return metadata;
  }

  /** Whether this open created the index. */
  @Override
  public boolean created() {
    return created;
  }

  /**
   * Adds a product or replaces every document of its previous version, atomically (the block is
   * replaced as a whole).
   */
  @Override
  public void upsert(IndexedProduct product) throws IOException {
    writer.updateDocuments(
        new Term(IndexSchema.ID, product.product().id()), documents.block(product, clock.millis()));
  }

  /** Deletes products (every document of their blocks); returns the ids that were present. */
  @Override
  public List<String> delete(Collection<String> ids) throws IOException {
    List<String> present = new ArrayList<>();
    try (IndexSnapshot snapshot = snapshot()) {
      for (String id : ids) {
        if (snapshot.find(id) != null) {
          present.add(id);
        }
      }
    }
    for (String id : present) {
      writer.deleteDocuments(new Term(IndexSchema.ID, id));
    }
    return present;
  }

  /** Deletes one product without checking it exists (used by the prune pass). */
  @Override
  public void deleteUnchecked(String id) throws IOException {
    writer.deleteDocuments(new Term(IndexSchema.ID, id));
  }

  /**
   * A point-in-time view including this writer's uncommitted changes (near-real-time), for lookups.
   */
  @Override
  public IndexSnapshot snapshot() throws IOException {
    return new IndexSnapshot(DirectoryReader.open(writer), metadata.vectorField());
  }

  /**
   * Makes everything written so far durable, recording the metadata, the time and {@code runState}
   * (shown by {@code stats}) in the commit.
   */
  @Override
  public void commit(String runState) throws IOException {
    Map<String, String> data = new LinkedHashMap<>(metadata.toUserData());
    data.put(KEY_LAST_COMMIT, clock.instant().toString());
    data.put(KEY_LAST_RUN, runState);
    writer.setLiveCommitData(data.entrySet());
    writer.commit();
  }

  /**
   * Merges the index down to at most {@code maxSegments} segments (one HNSW graph each), for a
   * read-mostly index after a bulk load; costly, never needed for correctness.
   */
  public void forceMerge(int maxSegments) throws IOException {
    writer.forceMerge(maxSegments);
  }

  /**
   * Starts the merges the merge policy asks for and waits until every merge has finished (their
   * HNSW graphs built on every core); commit afterwards to keep the merged segments. A bulk load
   * that ends with its last commit would otherwise leave merges running, which closing the index
   * aborts.
   */
  @Override
  public void awaitMerges() throws IOException {
    writer.maybeMerge();
    if (writer.getConfig().getMergeScheduler() instanceof ConcurrentMergeScheduler scheduler) {
      scheduler.sync();
    }
  }

  /** Whether there are changes since the last commit. */
  public boolean hasUncommittedChanges() {
    return writer.hasUncommittedChanges();
  }

  /** Drops every change since the last commit and closes the index. */
  @Override
  public void rollback() throws IOException {
    try {
      writer.rollback();
    } finally {
      directory.close();
    }
  }

  /**
   * Closes the index, waiting for running merges. Changes since the last {@link #commit} are
   * discarded: commit first to keep them.
   */
  @Override
  public void close() throws IOException {
    try {
      if (writer.isOpen()) {
        writer.close();
      }
    } finally {
      directory.close();
    }
  }
}
