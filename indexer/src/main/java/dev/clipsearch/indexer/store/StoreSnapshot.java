package dev.clipsearch.indexer.store;

import java.io.Closeable;
import java.io.IOException;
import java.util.function.Predicate;

/**
 * A view of a {@link CatalogStore} for lookups by product id: what the incremental planner compares
 * against, and what {@code --prune} walks. It shows at least everything committed before it was
 * taken; whether it also shows later or uncommitted writes is the store's affair (the embedded
 * index shows its own uncommitted writes and nothing later), and the pipeline depends on neither.
 * Any number of threads may call {@link #find} at once; close it to release what it holds.
 */
public interface StoreSnapshot extends Closeable {

  /** The product with this id, or null when the snapshot has none. */
  StoredProduct find(String id) throws IOException;

  /**
   * Calls {@code action} with the id of every live product, in no particular order, until it
   * returns false.
   */
  void forEachProductId(Predicate<String> action) throws IOException;
}
