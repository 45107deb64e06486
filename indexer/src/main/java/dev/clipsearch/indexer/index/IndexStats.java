package dev.clipsearch.indexer.index;

import java.nio.file.Path;
import java.time.Instant;

/**
 * What {@code clipsearch stats} shows: counts and sizes of the last commit.
 *
 * @param directory the index directory
 * @param products live products
 * @param images live image documents (= vectors)
 * @param segments Lucene segments
 * @param deletedDocuments documents deleted but not yet merged away
 * @param sizeOnDiskBytes total size of the files of the last commit
 * @param metadata model and storage settings
 * @param lastCommit when the last commit was made
 * @param lastRun how the last run that committed ended: {@code running} (it was interrupted, or is
 *     still going), {@code complete}, {@code aborted}, or {@code delete}
 */
public record IndexStats(
    Path directory,
    long products,
    long images,
    int segments,
    long deletedDocuments,
    long sizeOnDiskBytes,
    IndexMetadata metadata,
    Instant lastCommit,
    String lastRun) {}
