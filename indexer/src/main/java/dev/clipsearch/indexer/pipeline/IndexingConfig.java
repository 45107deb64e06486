package dev.clipsearch.indexer.pipeline;

import dev.clipsearch.indexer.catalog.CatalogFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One bulk indexing run, as the command line (or a test) configures it.
 *
 * @param catalog the catalog file
 * @param format its format
 * @param batchSize images per model call
 * @param decodeThreads CPU threads that decode, preprocess and thumbnail images
 * @param fetchThreads I/O threads that stat, read or download images and hash them
 * @param writeThreads threads that write encoded products to the store at once; the embedded store
 *     builds one segment and HNSW graph per thread, so graph building uses that many cores
 * @param commitEvery commit after this many written products…
 * @param commitInterval …or after this much time, whichever comes first
 * @param prune delete indexed products that are not in the catalog (only after the whole catalog
 *     was read and the run was not stopped)
 * @param maxErrors stop the run once more than this many products failed; -1 for no limit
 * @param rehash read every image and compare the SHA-256 of its bytes with the indexed one, instead
 *     of trusting an unchanged file size and modification time, or an unchanged URL
 * @param maxBatchWait how long the encoder waits to fill a batch before encoding a partial one
 * @param progressInterval how often progress is reported
 * @param partition the part of the catalog this run encodes and writes ({@code --partition I/N});
 *     {@link Partition#ALL} for the whole catalog
 */
public record IndexingConfig(
    Path catalog,
    CatalogFormat format,
    int batchSize,
    int decodeThreads,
    int fetchThreads,
    int writeThreads,
    int commitEvery,
    Duration commitInterval,
    boolean prune,
    long maxErrors,
    boolean rehash,
    Duration maxBatchWait,
    Duration progressInterval,
    Partition partition) {

  public IndexingConfig {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(commitInterval, "commitInterval");
    Objects.requireNonNull(maxBatchWait, "maxBatchWait");
    Objects.requireNonNull(progressInterval, "progressInterval");
    Objects.requireNonNull(partition, "partition");
    requirePositive("batch size", batchSize);
    requirePositive("decode threads", decodeThreads);
    requirePositive("fetch threads", fetchThreads);
    requirePositive("write threads", writeThreads);
    requirePositive("commit every", commitEvery);
    if (maxErrors < -1) {
      throw new IllegalArgumentException(
          "max errors must be -1 (no limit) or more, got " + maxErrors);
    }
  }

  /**
   * Defaults for a catalog whose format its name tells: batch 32, one decode thread per core, 8
   * fetch threads, one write thread per core, commits every 5000 products or 60 s, no prune, no
   * error limit, the whole catalog.
   */
  public static IndexingConfig defaults(Path catalog) {
    return defaults(catalog, CatalogFormat.detect(catalog));
  }

  /** Defaults for a catalog in the given format. */
  public static IndexingConfig defaults(Path catalog, CatalogFormat format) {
    return new IndexingConfig(
        catalog,
        format,
        32,
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        8,
        1,
        5000,
        Duration.ofSeconds(60),
        false,
        -1,
        false,
        Duration.ofMillis(100),
        Duration.ofSeconds(1),
        Partition.ALL);
  }

  public IndexingConfig withBatchSize(int n) {
    return new IndexingConfig(
        catalog,
        format,
        n,
        decodeThreads,
        fetchThreads,
        writeThreads,
        commitEvery,
        commitInterval,
        prune,
        maxErrors,
        rehash,
        maxBatchWait,
        progressInterval,
        partition);
  }

  public IndexingConfig withThreads(int decode, int fetch) {
    return new IndexingConfig(
        catalog,
        format,
        batchSize,
        decode,
        fetch,
        writeThreads,
        commitEvery,
        commitInterval,
        prune,
        maxErrors,
        rehash,
        maxBatchWait,
        progressInterval,
        partition);
  }

  /** A copy with {@code n} threads writing to the store at once. */
  public IndexingConfig withWriteThreads(int n) {
    return new IndexingConfig(
        catalog,
        format,
        batchSize,
        decodeThreads,
        fetchThreads,
        n,
        commitEvery,
        commitInterval,
        prune,
        maxErrors,
        rehash,
        maxBatchWait,
        progressInterval,
        partition);
  }

  public IndexingConfig withCommits(int every, Duration interval) {
    return new IndexingConfig(
        catalog,
        format,
        batchSize,
        decodeThreads,
        fetchThreads,
        writeThreads,
        every,
        interval,
        prune,
        maxErrors,
        rehash,
        maxBatchWait,
        progressInterval,
        partition);
  }

  public IndexingConfig withPrune(boolean p) {
    return new IndexingConfig(
        catalog,
        format,
        batchSize,
        decodeThreads,
        fetchThreads,
        writeThreads,
        commitEvery,
        commitInterval,
        p,
        maxErrors,
        rehash,
        maxBatchWait,
        progressInterval,
        partition);
  }

  public IndexingConfig withMaxErrors(long n) {
    return new IndexingConfig(
        catalog,
        format,
        batchSize,
        decodeThreads,
        fetchThreads,
        writeThreads,
        commitEvery,
        commitInterval,
        prune,
        n,
        rehash,
        maxBatchWait,
        progressInterval,
        partition);
  }

  public IndexingConfig withRehash(boolean r) {
    return new IndexingConfig(
        catalog,
        format,
        batchSize,
        decodeThreads,
        fetchThreads,
        writeThreads,
        commitEvery,
        commitInterval,
        prune,
        maxErrors,
        r,
        maxBatchWait,
        progressInterval,
        partition);
  }

  public IndexingConfig withFormat(CatalogFormat f) {
    return new IndexingConfig(
        catalog,
        f,
        batchSize,
        decodeThreads,
        fetchThreads,
        writeThreads,
        commitEvery,
        commitInterval,
        prune,
        maxErrors,
        rehash,
        maxBatchWait,
        progressInterval,
        partition);
  }

  public IndexingConfig withProgressInterval(Duration d) {
    return new IndexingConfig(
        catalog,
        format,
        batchSize,
        decodeThreads,
        fetchThreads,
        writeThreads,
        commitEvery,
        commitInterval,
        prune,
        maxErrors,
        rehash,
        maxBatchWait,
        d,
        partition);
  }

  /** A copy that encodes and writes only this part of the catalog. */
  public IndexingConfig withPartition(Partition p) {
    return new IndexingConfig(
        catalog,
        format,
        batchSize,
        decodeThreads,
        fetchThreads,
        writeThreads,
        commitEvery,
        commitInterval,
        prune,
        maxErrors,
        rehash,
        maxBatchWait,
        progressInterval,
        p);
  }

  private static void requirePositive(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be at least 1, got " + value);
    }
  }
}
