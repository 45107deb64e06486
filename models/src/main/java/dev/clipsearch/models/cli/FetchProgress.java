package dev.clipsearch.models.cli;

import dev.clipsearch.common.cli.ProgressBar;
import dev.clipsearch.models.hub.FetchListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;

/** Shows a fetch's progress: one bar per file on stderr, and each retry or restart. */
final class FetchProgress implements FetchListener, AutoCloseable {
  private final PrintWriter err;
  private final boolean redraw;
  private volatile ProgressBar bar;

  FetchProgress(PrintWriter err, boolean redraw) {
    this.err = err;
    this.redraw = redraw;
  }

  @Override
  public synchronized void waitingForLock(Path lockFile) {
    err.println(
        "another clipsearch process is fetching this model; waiting for it (" + lockFile + ")");
    err.flush();
  }

  @Override
  public synchronized void fileStarted(String path, long totalBytes, long resumedFrom) {
    closeBar();
    if (resumedFrom > 0) {
      err.println(path + ": resuming at " + ProgressBar.formatBytes(resumedFrom));
    }
    bar =
        ProgressBar.builder(path)
            .total(totalBytes)
            .unit(ProgressBar.Unit.BYTES)
            .initial(resumedFrom)
            .redraw(redraw)
            .output(err)
            .start();
  }

  @Override
  public void bytesReceived(long count) {
    ProgressBar current = bar;
    if (current != null) {
      current.advance(count);
    }
  }

  @Override
  public synchronized void fileFinished(String path, long bytes, boolean alreadyPresent) {
    closeBar();
    if (alreadyPresent) {
      err.println(path + ": already downloaded (" + ProgressBar.formatBytes(bytes) + ")");
      err.flush();
    }
  }

  @Override
  public synchronized void retrying(
      String path, int failedAttempt, int maxAttempts, Duration wait, String problem) {
    closeBar();
    err.println(
        problem
            + "; retrying in "
            + (wait.toMillis() < 1000
                ? wait.toMillis() + " ms"
                : ProgressBar.formatElapsed(wait.toMillis() / 1000.0))
            + " (attempt "
            + (failedAttempt + 1)
            + " of "
            + maxAttempts
            + ")");
    err.flush();
  }

  @Override
  public synchronized void restarting(String path, String why) {
    closeBar();
    err.println(path + ": " + why);
    err.flush();
  }

  @Override
  public synchronized void close() {
    closeBar();
  }

  private void closeBar() {
    ProgressBar current = bar;
    bar = null;
    if (current != null) {
      current.close();
    }
  }
}
