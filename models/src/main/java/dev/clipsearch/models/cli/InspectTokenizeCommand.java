package dev.clipsearch.models.cli;

import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.text.TextTokenizer;
import dev.clipsearch.models.text.Tokenizers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code clipsearch inspect tokenize}: the token ids a text tower would receive for each text, one
 * JSON array per line, compact ({@code [49406,320,1125,49407]}): start and end tokens included, no
 * padding, cut to the context length (keeping the end token) when longer.
 */
@Command(
    name = "tokenize",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the token ids of each TEXT as a JSON array, one line per text: start and end tokens"
          + " included, no padding, truncated to the context length when longer.",
      "FILE is CLIP's bpe_simple_vocab_16e6.txt.gz or a Hugging Face tokenizer.json (CLIP BPE or"
          + " BERT-style WordPiece)."
    })
public final class InspectTokenizeCommand implements Callable<Integer> {

  /** CLIP's context length, the default here since this command reads no model directory. */
  static final String CLIP_CONTEXT_LENGTH = "" + ModelSpec.CLIP_CONTEXT_LENGTH;

  @Spec CommandSpec spec;

  @Option(
      names = "--vocab",
      required = true,
      paramLabel = "FILE",
      description = "The vocabulary: bpe_simple_vocab_16e6.txt.gz or a tokenizer.json.")
  Path vocab;

  @Option(
      names = "--context-length",
      paramLabel = "N",
      defaultValue = CLIP_CONTEXT_LENGTH,
      description =
          "Maximum number of ids per text, start and end included (default: ${DEFAULT-VALUE}).")
  int contextLength;

  @Parameters(
      arity = "1..*",
      paramLabel = "TEXT",
      description = "Texts to tokenize; put -- before a text that starts with '-'.")
  List<String> texts;

  @Override
  public Integer call() {
    if (contextLength < 2) {
      throw new ParameterException(
          spec.commandLine(),
          "--context-length must be at least 2 (start and end tokens), got " + contextLength);
    }
    TextTokenizer tokenizer;
    try {
      tokenizer = Tokenizers.load(vocab);
    } catch (ModelLoadException e) {
      throw new ParameterException(spec.commandLine(), "--vocab: " + e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    for (String text : texts) {
      out.println(jsonArray(tokenizer.encode(text, contextLength)));
    }
    out.flush();
    return 0;
  }

  /** A compact JSON array of ids. */
  static String jsonArray(int[] ids) {
    StringJoiner json = new StringJoiner(",", "[", "]");
    for (int id : ids) {
      json.add(Integer.toString(id));
    }
    return json.toString();
  }
}
