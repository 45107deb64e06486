package dev.clipsearch.models.onnx;

import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.text.TextTokenizer;
import dev.clipsearch.models.text.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads a tower's tokenizer from a file or, through a temporary copy, from the classpath. */
final class TokenizerFiles {

  private TokenizerFiles() {}

  static TextTokenizer load(ModelSource source) {
    if (source instanceof ModelSource.FileSource file) {
      return Tokenizers.load(file.path());
    }
    Path dir = null;
    Path copy = null;
    try {
      dir = Files.createTempDirectory("clipsearch-tokenizer");
      copy = dir.resolve(source.fileName());
      Files.write(copy, source.readAllBytes());
      return Tokenizers.load(copy);
    } catch (IOException e) {
      throw new ModelLoadException(
          source.describe() + ": cannot copy to a temporary file: " + e.getMessage(), e);
    } finally {
      deleteQuietly(copy);
      deleteQuietly(dir);
    }
  }

  private static void deleteQuietly(Path path) {
    if (path == null) {
      return;
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // a leftover temporary file is harmless
    }
  }
}
