package dev.clipsearch.models.hub;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Writes a response body to a file channel as it arrives, one buffer list at a time, and records
 * when data last arrived so the caller can enforce an idle read timeout by calling {@link #abort}.
 * Stops with an error when the body grows past {@code limit} bytes in total.
 */
final class FileBodySubscriber implements Flow.Subscriber<List<ByteBuffer>> {

  private final FileChannel channel;
  private final long limit;
  private final LongConsumer progress;
  private final LongSupplier nanoClock;
  private final CompletableFuture<Long> done = new CompletableFuture<>();
  private volatile Flow.Subscription subscription;
  private volatile long lastActivity;
  private volatile long position;

  /**
   * @param channel open for writing, positioned where the body starts; closed when the body ends
   * @param limit the most bytes the file may reach, {@code Long.MAX_VALUE} when unknown
   * @param progress told how many bytes each write added
   */
  FileBodySubscriber(FileChannel channel, long limit, LongConsumer progress, LongSupplier nanoClock)
      throws IOException {
    this.channel = channel;
    this.limit = limit;
    this.progress = progress;
    this.nanoClock = nanoClock;
    this.position = channel.position();
    this.lastActivity = nanoClock.getAsLong();
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    lastActivity = nanoClock.getAsLong();
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (done.isDone()) {
      return;
    }
    try {
      long written = 0;
      for (ByteBuffer buffer : buffers) {
        if (position + written + buffer.remaining() > limit) {
          throw new BodyTooLongException(limit);
        }
        while (buffer.hasRemaining()) {
          written += channel.write(buffer);
        }
      }
      position += written;
      lastActivity = nanoClock.getAsLong();
      if (written > 0) {
        progress.accept(written);
      }
      subscription.request(1);
    } catch (IOException | RuntimeException e) {
      abort(e);
    }
  }

  @Override
  public void onError(Throwable t) {
    finish(t);
  }

  @Override
  public void onComplete() {
    finish(null);
  }

  /** Stops the transfer: cancels the subscription, closes the file, fails {@link #done()}. */
  void abort(Throwable reason) {
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
    finish(reason);
  }

  /** Nanoseconds since data last arrived (or since the body started). */
  long idleNanos() {
    return nanoClock.getAsLong() - lastActivity;
  }

  /** Completes with the file's size when the body ended, exceptionally when it did not. */
  CompletableFuture<Long> done() {
    return done;
  }

  private synchronized void finish(Throwable failure) {
    if (done.isDone()) {
      return;
    }
    try {
      channel.force(false);
      channel.close();
    } catch (IOException e) {
      if (failure == null) {
        failure = e;
      }
    }
    if (failure == null) {
      done.complete(position);
    } else {
      done.completeExceptionally(failure);
    }
  }

  /** The server sent more bytes than the file can have. */
  static final class BodyTooLongException extends IOException {
    final long limit;

    BodyTooLongException(long limit) {
      super("the server sent more than the expected " + limit + " bytes");
      this.limit = limit;
    }
  }
}
