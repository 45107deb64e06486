package dev.clipsearch.models.hub;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive right to stage and install one model directory, across processes (an OS file lock on
 * {@code <name>.lock}) and across threads of this process (file locks are per process, so a lock
 * per path is held in memory too).
 */
final class InstallLock implements AutoCloseable {

  private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS =
      new ConcurrentHashMap<>();

  private final ReentrantLock local;
  private final FileChannel channel;
  private final FileLock fileLock;

  private InstallLock(ReentrantLock local, FileChannel channel, FileLock fileLock) {
    this.local = local;
    this.channel = channel;
    this.fileLock = fileLock;
  }

  /**
   * Takes the lock, waiting as long as another holder keeps it; {@code onWait} runs once before
   * waiting.
   */
  static InstallLock acquire(Path lockFile, Runnable onWait)
      throws IOException, InterruptedException {
    Path key = lockFile.toAbsolutePath().normalize();
    ReentrantLock local = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
    boolean waited = false;
    if (!local.tryLock()) {
      onWait.run();
      waited = true;
      local.lockInterruptibly();
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock fileLock = channel.tryLock();
      if (fileLock == null) {
        if (!waited) {
          onWait.run();
        }
        fileLock = channel.lock();
      }
      return new InstallLock(local, channel, fileLock);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      local.unlock();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      fileLock.release();
      channel.close();
    } finally {
      local.unlock();
    }
  }
}
