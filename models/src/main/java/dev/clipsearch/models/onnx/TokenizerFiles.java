package dev.clipsearch.models.onnx;

import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.text.ClipBpeTokenizer;
import dev.clipsearch.models.text.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads a tower's tokenizer from a file or, through a temporary copy, from the classpath. */
final class TokenizerFiles {

  private TokenizerFiles() {}

  // TEMPORARY until the text module's Tokenizers.load lands
  private static TextTokenizer loadFile(Path file) {
    if (file.toString().endsWith(".gz")) {
      return ClipBpeTokenizer.fromMergesFile(file);
    }
    try {
      String type =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(file.toFile())
              .path("model")
              .path("type")
              .asText();
      return type.equals("WordPiece")
          ? dev.clipsearch.models.text.WordPieceTokenizer.fromTokenizerJson(file)
          : ClipBpeTokenizer.fromTokenizerJson(file);
    } catch (IOException e) {
      throw new ModelLoadException(file + ": " + e.getMessage(), e);
    }
  }

  static TextTokenizer load(ModelSource source) {
    if (source instanceof ModelSource.FileSource file) {
      return loadFile(file.path());
    }
    Path dir = null;
    try {
      dir = Files.createTempDirectory("clipsearch-tokenizer");
      // The tokenizer kind is told by the file name, so the copy keeps it.
      Path copy = dir.resolve(source.fileName());
      Files.write(copy, source.readAllBytes());
      return loadFile(copy);
    } catch (IOException e) {
      throw new ModelLoadException(
          source.describe() + ": cannot copy to a temporary file: " + e.getMessage(), e);
    } finally {
      if (dir != null) {
        try {
          Files.deleteIfExists(dir.resolve(source.fileName()));
          Files.deleteIfExists(dir);
        } catch (IOException e) {
          // a leftover temporary file is harmless
        }
      }
    }
  }
}
