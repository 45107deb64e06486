package dev.clipsearch.common.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files that appear complete or not at all: the content goes to a temporary file in the target's
 * folder, is forced to disk ({@code fsync}), and is renamed over the target in one step. A reader
 * (or a run after a crash) sees the old file or the new one, never half of one.
 *
 * <p>The rename is atomic on every local file system; on one that cannot rename atomically (some
 * network or FUSE mounts) the file is replaced with a plain move, which is the best such a file
 * system offers. After the rename the folder is forced too where the platform allows it (Linux,
 * macOS), so the rename itself survives a power loss.
 */
public final class AtomicFiles {

  /** Writes a file's content to a stream; the stream is closed by {@link AtomicFiles}. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  /**
   * Writes {@code target} (its folder created if needed) with what {@code content} writes,
   * replacing any file there. When {@code content} throws, {@code target} is left as it was and the
   * temporary file is removed.
   */
  public static void write(Path target, Content content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path folder = absolute.getParent();
    Files.createDirectories(folder);
    Path temp = Files.createTempFile(folder, "." + absolute.getFileName(), ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        OutputStream out =
            new BufferedOutputStream(new KeepOpen(Channels.newOutputStream(channel)), 1 << 16);
        content.writeTo(out);
        out.flush();
        channel.force(true);
      }
      rename(temp, absolute);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Writes {@code text} in UTF-8 to {@code target}, as {@link #write} does. */
  public static void writeString(Path target, String text) throws IOException {
    writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code bytes} to {@code target}, as {@link #write} does. */
  public static void writeBytes(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /**
   * Moves a finished file {@code source} over {@code target}: forces {@code source} to disk, then
   * renames it in one step. For files written in place over time (a download, a streamed report)
   * that must only appear complete; {@code source} should lie in {@code target}'s folder, or at
   * least on its file system.
   */
  public static void replace(Path source, Path target) throws IOException {
    try (FileChannel channel = FileChannel.open(source, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    rename(source, target.toAbsolutePath());
  }

  /**
   * Renames {@code source} (a file or a whole folder) to {@code target} in one step, with no
   * fallback: a folder of files installed this way appears complete or not at all.
   *
   * @throws AtomicMoveNotSupportedException when source and target are on file systems that cannot
   *     rename between them in one step
   */
  public static void renameAtomically(Path source, Path target) throws IOException {
    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    syncFolder(target.toAbsolutePath().getParent());
  }

  private static void rename(Path source, Path target) throws IOException {
    try {
      Files.move(
          source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
    syncFolder(target.getParent());
  }

  /**
   * Forces a folder's entries to disk; not possible on every platform (Windows), so best effort.
   */
  private static void syncFolder(Path folder) {
    if (folder == null) {
      return;
    }
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // the rename is done; only its durability across a power loss is left to the OS
    }
  }

  /** Lets {@link Content} close its stream (Jackson does) without closing the channel first. */
  private static final class KeepOpen extends FilterOutputStream {
    KeepOpen(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
