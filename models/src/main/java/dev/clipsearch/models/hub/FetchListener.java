package dev.clipsearch.models.hub;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Progress of a {@link ModelFetcher} run, for a progress bar or a log. Every method has an empty
 * default. {@link #bytesReceived} is called from the HTTP client's threads; the others from the
 * fetching thread.
 */
public interface FetchListener {

  /** Reports nothing. */
  FetchListener NONE = new FetchListener() {};

  /** Another process or thread is fetching the same model; this one waits for it. */
  default void waitingForLock(Path lockFile) {}

  /**
   * A response body starts arriving.
   *
   * @param path the file's path in the repository
   * @param totalBytes the file's full size, or -1 when unknown
   * @param resumedFrom bytes already on disk from an earlier attempt (0 for a fresh start)
   */
  default void fileStarted(String path, long totalBytes, long resumedFrom) {}

  /** {@code count} more bytes of the current file were written to disk. */
  default void bytesReceived(long count) {}

  /**
   * A file is complete and verified.
   *
   * @param alreadyPresent true when an earlier, interrupted run had already downloaded it
   */
  default void fileFinished(String path, long bytes, boolean alreadyPresent) {}

  /** An attempt failed with a transient problem; the next one starts after {@code wait}. */
  default void retrying(
      String path, int failedAttempt, int maxAttempts, Duration wait, String problem) {}

  /** A partial download could not be resumed and starts again from byte 0. */
  default void restarting(String path, String why) {}
}
