package dev.clipsearch.indexer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.indexer.store.CatalogStore;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.indexer.store.StoreMetadata;
import dev.clipsearch.indexer.store.StoreSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CommitCadenceTest {

  /** Counts commits, remembers how many products had been written at each, and sees overlaps. */
  private static final class CountingStore implements CatalogStore {
    final AtomicLong writtenSoFar = new AtomicLong();
    final List<Long> commitPoints = new ArrayList<>();
    final AtomicInteger inCommit = new AtomicInteger();
    volatile boolean overlapped;

    @Override
    public void commit(String runState) {
      if (inCommit.incrementAndGet() > 1) {
        overlapped = true;
      }
      try {
        Thread.sleep(1); // a commit takes time, during which the other writers go on
        synchronized (commitPoints) {
          commitPoints.add(writtenSoFar.get());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        inCommit.decrementAndGet();
      }
    }

    @Override
    public String location() {
      return "counting store";
    }

    @Override
    public StoreMetadata metadata() {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean created() {
      return true;
    }

    @Override
    public StoreSnapshot snapshot() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void upsert(IndexedProduct product) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<String> delete(Collection<String> ids) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void deleteUnchecked(String id) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void rollback() {}

    @Override
    public void close() {}
  }

  @Test
  void one_writer_commits_after_exactly_every_n_products() throws Exception {
    CountingStore store = new CountingStore();
    CommitCadence cadence = new CommitCadence(store, 100, Duration.ofHours(1));
    for (int i = 0; i < 1050; i++) {
      store.writtenSoFar.incrementAndGet();
      cadence.written();
      cadence.commitIfDue("running");
    }
    assertEquals(
        List.of(100L, 200L, 300L, 400L, 500L, 600L, 700L, 800L, 900L, 1000L), store.commitPoints);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void writers_on_several_threads_share_one_count_and_never_commit_at_once() throws Exception {
    CountingStore store = new CountingStore();
    CommitCadence cadence = new CommitCadence(store, 100, Duration.ofHours(1));
    int threads = 4;
    int each = 2500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        tasks.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) {
                    store.writtenSoFar.incrementAndGet();
                    cadence.written();
                    cadence.commitIfDue("running");
                  }
                  return null;
                }));
      }
      for (Future<?> task : tasks) {
        task.get(50, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertFalse(store.overlapped, "two threads committed at once");
    int commits = store.commitPoints.size();
    assertTrue(commits <= 100, "at most one commit per 100 products, got " + commits);
    assertTrue(commits >= 1, "10,000 products and no commit");
  }

  @Test
  void products_written_on_different_threads_add_up_to_one_count() throws Exception {
    CountingStore store = new CountingStore();
    CommitCadence cadence = new CommitCadence(store, 10, Duration.ofHours(1));
    for (int t = 0; t < 2; t++) {
      Thread writer =
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < 5; i++) {
                      cadence.written();
                    }
                  });
      writer.join(10_000);
      assertFalse(writer.isAlive());
      if (t == 0) {
        assertFalse(cadence.commitIfDue("running"), "5 products are not yet 10");
      }
    }
    assertTrue(cadence.commitIfDue("running"), "5 + 5 products from two threads make 10");
  }

  @Test
  void the_interval_commits_what_was_written_but_nothing_is_committed_for_nothing()
      throws Exception {
    CountingStore store = new CountingStore();
    CommitCadence cadence = new CommitCadence(store, 1_000_000, Duration.ZERO);
    assertFalse(cadence.commitIfDue("running"), "nothing written yet");
    cadence.written();
    assertTrue(cadence.commitIfDue("running"));
    assertFalse(cadence.commitIfDue("running"), "nothing written since");
    assertEquals(1, store.commitPoints.size());
  }

  @Test
  void rejects_a_cadence_below_one_product() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new CommitCadence(new CountingStore(), 0, Duration.ofSeconds(1)));
    assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
  }
}
