package dev.clipsearch.sampledata.fetch;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads {@code .tar.gz} archives (npm tarballs) one entry at a time, without extracting anything
 * that was not asked for. Every entry name is checked before it is used: absolute paths, drive
 * letters, backslashes, NUL and {@code ..} segments make the whole archive refused. Only regular
 * files are ever handed out; links and devices are passed over.
 */
public final class SafeTarGz {

  private static final int BUFFER = 1 << 16;

  /** Receives one regular file of an archive. */
  @FunctionalInterface
  public interface EntryVisitor {
    /**
     * @param name the checked, relative entry name ({@code package/en/data.json})
     * @param size the entry's size in bytes
     * @param content the entry's bytes; read it or not, never close it
     */
    void visit(String name, long size, InputStream content) throws IOException;
  }

  private SafeTarGz() {}

  /**
   * Hands every regular file of {@code archive} to {@code visitor}, in archive order.
   *
   * @throws UnsafeArchiveException at the first entry with an unsafe name
   */
  public static void forEachFile(Path archive, EntryVisitor visitor) {
    try (InputStream file = Files.newInputStream(archive);
        TarArchiveInputStream tar =
            new TarArchiveInputStream(
                new GZIPInputStream(new BufferedInputStream(file, BUFFER), BUFFER))) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        String name = checkedName(archive, entry.getName());
        if (entry.isFile() && !entry.isLink() && !entry.isSymbolicLink()) {
          visitor.visit(name, entry.getSize(), tar);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the archive " + archive, e);
    }
  }

  /**
   * Copies the files of {@code archive} for which {@code destinationOf} names a destination (a
   * relative path, or {@code null} to skip the entry) into {@code destinationDir}.
   *
   * @return how many files were written
   * @throws UnsafeArchiveException when an entry name is unsafe, or a destination would fall
   *     outside {@code destinationDir}
   */
  public static int extract(
      Path archive, Path destinationDir, Function<String, String> destinationOf) {
    Path root = destinationDir.toAbsolutePath().normalize();
    int[] written = {0};
    forEachFile(
        archive,
        (name, size, content) -> {
          String relative = destinationOf.apply(name);
          if (relative == null) {
            return;
          }
          Path target = root.resolve(checkedName(archive, relative)).normalize();
          if (!target.startsWith(root) || target.equals(root)) {
            throw new UnsafeArchiveException(
                archive, name, "would be written outside " + root + " (as " + relative + ")");
          }
          Files.createDirectories(target.getParent());
          Files.copy(content, target, StandardCopyOption.REPLACE_EXISTING);
          written[0]++;
        });
    return written[0];
  }

  /**
   * {@code name} with any trailing slash removed, if it is a plain relative path.
   *
   * @throws UnsafeArchiveException otherwise
   */
  static String checkedName(Path archive, String name) {
    if (name == null || name.isEmpty()) {
      throw new UnsafeArchiveException(archive, String.valueOf(name), "has no name");
    }
    if (name.indexOf('\0') >= 0 || name.indexOf('\\') >= 0) {
      throw new UnsafeArchiveException(archive, name, "contains a NUL or a backslash");
    }
    if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
      throw new UnsafeArchiveException(archive, name, "is an absolute path");
    }
    String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    for (String segment : trimmed.split("/", -1)) {
      if (segment.equals("..")) {
        throw new UnsafeArchiveException(archive, name, "climbs out of its folder with '..'");
      }
    }
    return trimmed;
  }
}
