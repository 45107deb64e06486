package dev.clipsearch.models.testing;

import dev.clipsearch.common.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Tiny CLIP models with seeded random weights, for tests of every module. They are written by
 * {@code models/generator/generate_clip.py} on first use into {@code
 * <clipsearch.root>/target/test-models/tiny-<hash of the generator>/<layout>} and reused by later
 * runs; two JVMs generating at once is safe (each writes a temporary directory, then one atomic
 * rename wins). Needs Debian's python3-onnx and python3-numpy ({@code scripts/install-deps.sh
 * test}).
 *
 * <p>Each model directory holds {@code expected.json}, read by {@link ExpectedEmbeddings}. The
 * {@link Layout#HF} and {@link Layout#OPEN_CLIP} models share their weights, and all three share
 * the image tower, so the same input gives the same vector in each.
 *
 * <p>Reads the {@code clipsearch.root} and {@code clipsearch.shared} system properties, which the
 * build's Surefire configuration sets.
 */
public final class TestModels {

  /** The seed every tiny model is generated with. */
  public static final int SEED = 20240501;

  static final String PYTHON = "/usr/bin/python3";
  private static final long GENERATE_TIMEOUT_MINUTES = 10;

  /** The model directory layouts the generator writes. */
  public enum Layout {
    /** Hugging Face / transformers.js: dynamic batch and sequence, int64 ids, fp16/quantized. */
    HF("hf"),
    /** open_clip as Immich exports it: fixed batch 1, int32 ids fixed at 77 tokens. */
    OPEN_CLIP("open_clip"),
    /** clipsearch-model.json with a WordPiece, mean-pooled, projected text tower. */
    MANIFEST("manifest"),
    /**
     * sentence-transformers/clip-ViT-B-32-multilingual-v1's layout: a cased WordPiece, DistilBERT-
     * shaped text tower (no token_type_ids), mean pooling, a Dense layer in safetensors, and the
     * CLIP image tower in image/.
     */
    SENTENCE_TRANSFORMERS("st");

    private final String dirName;

    Layout(String dirName) {
      this.dirName = dirName;
    }

    /** The sub-directory the generator writes the layout to. */
    public String dirName() {
      return dirName;
    }
  }

  private TestModels() {}

  /** The tiny model in {@code layout}, generated on first use. */
  public static synchronized Path tiny(Layout layout) {
    Path dir = generated("tiny").resolve(layout.dirName());
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("generator did not write " + dir);
    }
    return dir;
  }

  /** The checkout root ({@code clipsearch.root}). */
  public static Path root() {
    return Path.of(property("clipsearch.root"));
  }

  /** The original CLIP vocabulary in the shared fixtures. */
  public static Path clipVocabulary() {
    Path vocab =
        Path.of(
            property("clipsearch.shared"), "models", "clip-vocab", "bpe_simple_vocab_16e6.txt.gz");
    if (!Files.isRegularFile(vocab)) {
      throw new IllegalStateException("CLIP vocabulary not found at " + vocab);
    }
    return vocab;
  }

  /** The generator script. */
  public static Path generator() {
    return root().resolve("models/generator/generate_clip.py");
  }

  /**
   * The tiny SigLIP-shaped model (Hugging Face / transformers.js layout, {@code config.json}
   * model_type siglip, the test Unigram tokenizer), written by {@code
   * models/generator/generate_siglip.py} on first use, with its {@code expected.json}.
   */
  public static synchronized Path tinySiglip() {
    Path script = root().resolve("models/generator/generate_siglip.py");
    List<Path> inputs =
        List.of(
            script,
            generator(),
            root().resolve(SIGLIP_TOKENIZER_DIR + "/tokenizer.json"),
            root().resolve(SIGLIP_TOKENIZER_DIR + "/reference-ids.json"));
    return generate(
        "siglip-tiny",
        inputs,
        out ->
            List.of(
                PYTHON, script.toString(), "--size", "tiny", "--seed", "" + SEED, "--out", out));
  }

  private static final String SIGLIP_TOKENIZER_DIR =
      "models/src/test/resources/dev/clipsearch/models/text/siglip";

  private static Path generated(String size) {
    Path script = generator();
    List<Path> inputs = new java.util.ArrayList<>(List.of(script));
    Path tokenizerWriter = root().resolve("models/reference/clip_tokenizer_json.py");
    if (Files.isRegularFile(tokenizerWriter)) {
      inputs.add(tokenizerWriter);
    }
    return generate(
        size,
        inputs,
        out ->
            List.of(
                PYTHON,
                script.toString(),
                "--size",
                size,
                "--seed",
                Integer.toString(SEED),
                "--vocab",
                clipVocabulary().toString(),
                "--out",
                out));
  }

  /**
   * Runs a generator command into {@code target/test-models/<name>-<hash of inputs>} unless that
   * directory exists: into a temporary directory first, then one atomic rename.
   */
  private static Path generate(
      String name, List<Path> inputs, java.util.function.Function<String, List<String>> command) {
    Path cache = root().resolve("target/test-models");
    Path target = cache.resolve(name + "-" + cacheKey(inputs, name));
    if (Files.isDirectory(target)) {
      return target;
    }
    checkPython();
    Path work = cache.resolve(".tmp-" + UUID.randomUUID());
    try {
      Files.createDirectories(work);
      Path out = work.resolve("out");
      run(command.apply(out.toString()), work.resolve("generator.log"));
      try {
        AtomicFiles.renameAtomically(out, target);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IllegalStateException("cannot rename within " + cache, e);
      } catch (FileSystemException e) {
        if (!Files.isDirectory(target)) { // else another JVM won the race: use its copy
          throw e;
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot generate test models into " + cache, e);
    } finally {
      deleteRecursively(work);
    }
  }

  /** The generator's and its inputs' content: a new script version gets a new directory. */
  private static String cacheKey(List<Path> inputs, String size) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((size + "/" + SEED + "\n").getBytes(StandardCharsets.UTF_8));
      for (Path input : inputs) {
        sha.update(Files.readAllBytes(input));
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the generator's inputs " + inputs, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void checkPython() {
    String hint =
        "generating test models needs "
            + PYTHON
            + " with Debian's python3-onnx and python3-numpy: run scripts/install-deps.sh test";
    if (!Files.isExecutable(Path.of(PYTHON))) {
      throw new IllegalStateException(hint + " (" + PYTHON + " not found)");
    }
    try {
      Path log = Files.createTempFile("clipsearch-python-check", ".log");
      try {
        run(List.of(PYTHON, "-c", "import onnx, numpy"), log);
      } catch (IllegalStateException e) {
        throw new IllegalStateException(hint + " (" + e.getMessage() + ")", e);
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void run(List<String> command, Path log) throws IOException {
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!process.waitFor(GENERATE_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", command));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command)
              + " failed with exit code "
              + process.exitValue()
              + ":\n"
              + Files.readString(log, StandardCharsets.UTF_8));
    }
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "system property " + name + " is not set (the Maven build sets it for tests)");
    }
    return value;
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a leftover temporary directory is harmless
    }
  }
}
