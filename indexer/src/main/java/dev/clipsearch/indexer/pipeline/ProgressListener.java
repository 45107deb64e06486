package dev.clipsearch.indexer.pipeline;

/**
 * Receives progress snapshots from a progress thread, at the configured interval and at the end.
 */
@FunctionalInterface
public interface ProgressListener {

  void onProgress(Progress progress);

  /** Ignores progress. */
  ProgressListener NONE = progress -> {};
}
