package dev.clipsearch.indexer.pipeline;

import dev.clipsearch.indexer.report.ProductFailure;

/**
 * Receives every failed or partially indexed product as it happens (the {@code --report} file).
 * Called from several pipeline threads: implementations must be thread-safe.
 */
@FunctionalInterface
public interface FailureListener {

  void onFailure(ProductFailure failure);

  /** Ignores failures (they are still counted in the result). */
  FailureListener NONE = failure -> {};
}
