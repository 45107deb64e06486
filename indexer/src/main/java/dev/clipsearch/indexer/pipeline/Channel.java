package dev.clipsearch.indexer.pipeline;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded queue between two pipeline stages that knows when its producers are done. A full
 * channel blocks producers (back-pressure keeps memory bounded); an aborted run unblocks everyone
 * with {@link RunControl.AbortedException}.
 */
final class Channel<T> {

  private static final long POLL_MILLIS = 50;

  private final String name;
  private final ArrayBlockingQueue<T> queue;
  private final AtomicInteger openProducers;
  private final RunControl control;

  Channel(String name, int capacity, int producers, RunControl control) {
    this.name = name;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.openProducers = new AtomicInteger(producers);
    this.control = control;
  }

  void put(T item) throws InterruptedException {
    while (!queue.offer(item, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
      control.checkNotAborted();
    }
  }

  /** The next item, or null once every producer is done and the channel is empty. */
  T take() throws InterruptedException {
    while (true) {
      T item = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
      if (item != null) {
        return item;
      }
      if (isDone()) {
        return null;
      }
      control.checkNotAborted();
    }
  }

  /** The next item if one arrives within {@code millis}, else null (check {@link #isDone()}). */
  T poll(long millis) throws InterruptedException {
    control.checkNotAborted();
    return queue.poll(millis, TimeUnit.MILLISECONDS);
  }

  /** Every producer is done and nothing is left. */
  boolean isDone() {
    return openProducers.get() == 0 && queue.isEmpty();
  }

  void producerDone() {
    openProducers.decrementAndGet();
  }

  @Override
  public String toString() {
    return name + "[" + queue.size() + " queued]";
  }
}
