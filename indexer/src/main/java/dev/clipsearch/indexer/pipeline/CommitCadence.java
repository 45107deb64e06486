package dev.clipsearch.indexer.pipeline;

import dev.clipsearch.indexer.store.CatalogStore;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * When a bulk run commits: every {@code every} written products or every {@code interval},
 * whichever comes first, shared by all writer threads of the run. Thread-safe: each writer counts
 * its products with {@link #written()} and calls {@link #commitIfDue} after each one (and while
 * idle); one of them commits while the others keep writing, since the store takes writes during a
 * commit. A product is written whole before it is counted, so a commit never holds part of one.
 */
public final class CommitCadence {

  private final CatalogStore store;
  private final long every;
  private final long intervalNanos;
  private final AtomicLong sinceCommit = new AtomicLong();
  private final ReentrantLock committing = new ReentrantLock();
  private volatile long lastCommit = System.nanoTime();

  /**
   * @param every commit after this many written products (at least 1)…
   * @param interval …or once this much time has passed since the last commit and something was
   *     written
   */
  public CommitCadence(CatalogStore store, long every, Duration interval) {
    if (every < 1) {
      throw new IllegalArgumentException("commit every must be at least 1, got " + every);
    }
    this.store = store;
    this.every = every;
    this.intervalNanos = interval.toNanos();
  }

  /** Counts one product written to the store. */
  public void written() {
    sinceCommit.incrementAndGet();
  }

  /**
   * Commits with {@code runState} when enough products or time have passed since the last commit;
   * returns at once, doing nothing, while another thread commits.
   *
   * @return whether this call committed
   */
  public boolean commitIfDue(String runState) throws IOException {
    if (!due() || !committing.tryLock()) {
      return false;
    }
    try {
      if (!due()) {
        return false; // another thread committed just before
      }
      // reset first: products written while the commit runs count towards the next one
      sinceCommit.set(0);
      store.commit(runState);
      lastCommit = System.nanoTime();
      return true;
    } finally {
      committing.unlock();
    }
  }

  private boolean due() {
    long written = sinceCommit.get();
    return written > 0 && (written >= every || System.nanoTime() - lastCommit >= intervalNanos);
  }
}
