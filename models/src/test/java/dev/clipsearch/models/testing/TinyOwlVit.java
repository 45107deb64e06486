package dev.clipsearch.models.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The tiny random-weight OWL-ViT-shaped model of models/generator/generate_owlvit.py, generated
 * once per test JVM into a temporary directory (a few seconds) and deleted when the JVM exits.
 * Needs Debian's python3-onnx and python3-numpy. Public in the test-jar: the searcher's tests run
 * it through {@code /api/detect}.
 */
public final class TinyOwlVit {

  private static Path generated;

  private TinyOwlVit() {}

  /** The directory holding the {@code transformersjs} and {@code optimum} layouts. */
  public static synchronized Path dir() {
    if (generated == null) {
      generated = generate();
    }
    return generated;
  }

  private static Path generate() {
    try {
      Path temp = Files.createTempDirectory("clipsearch-owlvit-tiny");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(temp)));
      Path root = Path.of(System.getProperty("clipsearch.root"));
      Path out = temp.resolve("owlvit");
      Path log = temp.resolve("generator.log");
      Process process =
          new ProcessBuilder(
                  "/usr/bin/python3",
                  root.resolve("models/generator/generate_owlvit.py").toString(),
                  "--size",
                  "tiny",
                  "--vocab",
                  Path.of(System.getProperty("clipsearch.shared"))
                      .resolve("models/clip-vocab/bpe_simple_vocab_16e6.txt.gz")
                      .toString(),
                  "--out",
                  out.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("generate_owlvit.py timed out");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("generate_owlvit.py failed: " + Files.readString(log));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort at exit
    }
  }
}
