package dev.clipsearch.models.text;

import dev.clipsearch.models.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads the right {@link TextTokenizer} for a vocabulary file, whichever kind it is. */
public final class Tokenizers {

  private Tokenizers() {}

  /**
   * Loads a tokenizer from {@code file}, recognised by its content: a gzip file is OpenAI's CLIP
   * merges file ({@code bpe_simple_vocab_16e6.txt.gz}); otherwise a Hugging Face {@code
   * tokenizer.json} whose {@code model.type} is BPE (a CLIP tokenizer), WordPiece (a BERT-style
   * one) or Unigram (SentencePiece, as SigLIP's).
   *
   * @throws ModelLoadException naming the file when it is missing, unreadable or of another kind
   */
  public static TextTokenizer load(Path file) {
    if (Files.isDirectory(file)) {
      throw new ModelLoadException(file + " is a directory, not a tokenizer file");
    }
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException("tokenizer file not found: " + file);
    }
    if (isGzip(file)) {
      return ClipBpeTokenizer.fromMergesFile(file);
    }
    HfTokenizerJson json = HfTokenizerJson.read(file);
    return switch (json.modelType()) {
      case "BPE" -> ClipBpeTokenizer.fromTokenizerJson(json);
      case "WordPiece" -> WordPieceTokenizer.fromTokenizerJson(json);
      case "Unigram" -> UnigramTokenizer.fromTokenizerJson(json);
      default ->
          throw json.error(
              "model.type "
                  + json.modelType()
                  + " is not supported (BPE for CLIP, WordPiece for BERT-style text towers,"
                  + " Unigram for SentencePiece ones such as SigLIP)");
    };
  }

  private static boolean isGzip(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return in.read() == 0x1F && in.read() == 0x8B;
    } catch (IOException e) {
      throw new ModelLoadException("cannot read tokenizer file " + file + ": " + e.getMessage(), e);
    }
  }
}
