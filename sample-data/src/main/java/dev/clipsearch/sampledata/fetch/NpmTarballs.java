package dev.clipsearch.sampledata.fetch;

import dev.clipsearch.common.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache of verified npm tarballs, filled with {@code npm pack <name>@<version>}. A tarball is
 * used only after its SHA-512 matches the pinned integrity, both when it arrives and every time it
 * is taken from the cache, so a corrupt or swapped file is never read.
 *
 * <p>Packing happens in a staging folder inside the cache and the verified tarball appears under
 * its final name in one rename, so the cache never holds a partial file under a real name.
 */
public final class NpmTarballs {

  private static final Logger log = LoggerFactory.getLogger(NpmTarballs.class);
  private static final int STDERR_TAIL_CHARS = 2_000;

  private final Path cacheDir;
  private final String npmCommand;
  private final Duration timeout;

  /**
   * @param cacheDir where verified tarballs are kept (created when missing)
   * @param npmCommand the npm executable, {@code npm} to find it on the {@code PATH}
   * @param timeout the longest one {@code npm pack} may run
   */
  public NpmTarballs(Path cacheDir, String npmCommand, Duration timeout) {
    this.cacheDir = cacheDir.toAbsolutePath().normalize();
    this.npmCommand = Objects.requireNonNull(npmCommand, "npmCommand");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  public Path cacheDir() {
    return cacheDir;
  }

  /** Where the verified tarball of {@code pkg} is kept. */
  public Path cachedPath(NpmPackage pkg) {
    return cacheDir.resolve(pkg.tarballFileName());
  }

  /**
   * The verified tarball of {@code pkg}: from the cache when it is there and intact, otherwise
   * packed from the registry.
   *
   * @throws NpmFetchException when npm is missing, fails or times out
   * @throws IntegrityException when the registry's tarball is not the pinned one
   */
  public Path fetch(NpmPackage pkg) {
    Path target = cachedPath(pkg);
    try {
      if (Files.isRegularFile(target)) {
        if (pkg.integrity().matches(target)) {
          log.debug("{}: verified in cache at {}", pkg.spec(), target);
          return target;
        }
        log.warn(
            "{}: cached {} does not match the pinned integrity; fetching it again",
            pkg.spec(),
            target);
        Files.delete(target);
      }
      Files.createDirectories(cacheDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use the npm tarball cache " + cacheDir, e);
    }
    return pack(pkg, target);
  }

  private Path pack(NpmPackage pkg, Path target) {
    log.info("{}: fetching with npm pack into {}", pkg.spec(), cacheDir);
    long started = System.nanoTime();
    Path staging = null;
    try {
      staging = Files.createTempDirectory(cacheDir, ".pack-");
      Path stdout = staging.resolve("npm.stdout");
      Path stderr = staging.resolve("npm.stderr");
      Path workDir = Files.createDirectory(staging.resolve("out"));
      runNpmPack(pkg, workDir, stdout, stderr);
      Path packed = singleTarball(pkg, workDir, stderr);
      pkg.integrity().verify(packed);
      AtomicFiles.replace(packed, target);
      log.info(
          "{}: {} MB verified in {} ms",
          pkg.spec(),
          String.format(Locale.ROOT, "%.1f", Files.size(target) / 1e6),
          (System.nanoTime() - started) / 1_000_000);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stage " + pkg.spec() + " in " + cacheDir, e);
    } finally {
      if (staging != null) {
        deleteTree(staging);
      }
    }
  }

  private void runNpmPack(NpmPackage pkg, Path workDir, Path stdout, Path stderr)
      throws IOException {
    List<String> command =
        List.of(npmCommand, "pack", pkg.spec(), "--ignore-scripts", "--no-fund", "--no-audit");
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile())
              .start();
      process.getOutputStream().close(); // npm never asks; a prompt must not hang the build
    } catch (IOException e) {
      throw new NpmFetchException(
          "cannot run '"
              + npmCommand
              + "' ("
              + e.getMessage()
              + "). The sample catalog is built from npm packages fetched with `npm pack`: install"
              + " Node.js with npm (Debian/Ubuntu: apt-get install npm) or name the npm executable"
              + " explicitly (clipsearch sample-data build --npm PATH). Offline, place the tarball "
              + pkg.tarballFileName()
              + " ("
              + pkg.spec()
              + ", "
              + pkg.integrity()
              + ") in "
              + cacheDir
              + ".",
          e);
    }
    boolean finished;
    try {
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new NpmFetchException("interrupted while fetching " + pkg.spec(), e);
    }
    if (!finished) {
      process.destroyForcibly();
      throw new NpmFetchException(
          "npm pack "
              + pkg.spec()
              + " did not finish within "
              + timeout.toSeconds()
              + " s; check that the npm registry (`npm config get registry`) is reachable."
              + stderrTail(stderr));
    }
    if (process.exitValue() != 0) {
      throw new NpmFetchException(
          "npm pack "
              + pkg.spec()
              + " failed with exit code "
              + process.exitValue()
              + ". The first build of the sample catalog needs the npm registry (`npm config get"
              + " registry`); later builds reuse the verified tarballs in "
              + cacheDir
              + " offline."
              + stderrTail(stderr));
    }
  }

  private Path singleTarball(NpmPackage pkg, Path workDir, Path stderr) throws IOException {
    List<Path> tarballs;
    try (Stream<Path> files = Files.list(workDir)) {
      tarballs = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).toList();
    }
    if (tarballs.size() != 1) {
      throw new NpmFetchException(
          "npm pack "
              + pkg.spec()
              + " succeeded but left "
              + tarballs.size()
              + " tarballs instead of one in "
              + workDir
              + stderrTail(stderr));
    }
    return tarballs.getFirst();
  }

  private static String stderrTail(Path stderr) {
    try {
      String text = Files.readString(stderr, StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) {
        return "";
      }
      if (text.length() > STDERR_TAIL_CHARS) {
        text = "..." + text.substring(text.length() - STDERR_TAIL_CHARS);
      }
      return "\nnpm said:\n" + text;
    } catch (IOException e) {
      return "";
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      List<Path> all = new ArrayList<>(paths.toList());
      all.sort(Comparator.reverseOrder());
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      log.warn("could not remove the staging folder {}: {}", root, e.toString());
    }
  }
}
