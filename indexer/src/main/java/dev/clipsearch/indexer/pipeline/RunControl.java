package dev.clipsearch.indexer.pipeline;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Shared stop signals of one run. A <b>stop</b> is graceful: the reader stops reading, and what is
 * already in flight is finished and committed (too many errors, Ctrl-C). An <b>abort</b> is for
 * fatal errors: every stage quits as soon as it can and nothing more is committed.
 */
final class RunControl {

  /** Thrown inside stages to unwind when the run has been aborted. */
  static final class AbortedException extends RuntimeException {
    AbortedException() {
      super("run aborted", null, false, false);
    }
  }

  private final AtomicReference<String> stopReason = new AtomicReference<>();
  private final AtomicReference<Throwable> fatal = new AtomicReference<>();

  void stop(String reason) {
    stopReason.compareAndSet(null, reason);
  }

  String stopReason() {
    return stopReason.get();
  }

  boolean stopping() {
    return stopReason.get() != null || fatal.get() != null;
  }

  void abort(Throwable cause) {
    fatal.compareAndSet(null, cause);
  }

  Throwable fatal() {
    return fatal.get();
  }

  boolean aborted() {
    return fatal.get() != null;
  }

  void checkNotAborted() {
    if (aborted()) {
      throw new AbortedException();
    }
  }
}
