package dev.clipsearch.models.text;

import dev.clipsearch.models.ModelLoadException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * CLIP's tokenizer: the text cleaning and byte-level BPE of OpenAI's {@code simple_tokenizer}, the
 * one every published CLIP checkpoint was trained with.
 *
 * <p>Steps: NFC, HTML unescape twice (Python's {@code html.unescape}), strip, collapse whitespace
 * runs to one space, lowercase, split with CLIP's pattern, then BPE of each piece's UTF-8 bytes
 * with the {@code </w>} end-of-word suffix. The reference applies {@code ftfy.fix_text} where this
 * class applies NFC; the two differ only on text that ftfy would repair (mojibake, curly quotes,
 * Latin ligatures). A literal {@code <|startoftext|>} or {@code <|endoftext|>} in the text becomes
 * that special token, as in the reference.
 *
 * <p>The vocabulary comes from the original merges file or from a Hugging Face {@code
 * tokenizer.json}; both give the same ids. Immutable and thread-safe; word encodings are kept in a
 * bounded cache shared by all threads.
 */
public final class ClipBpeTokenizer implements TextTokenizer {

  /**
   * How many merges of {@code bpe_simple_vocab_16e6.txt.gz} CLIP's vocabulary uses: 49,152 tokens
   * minus the 256 byte symbols and the 2 special tokens (the file lists more merges than that).
   */
  static final int MERGES_USED = 49_152 - 256 - 2;

  private static final String END_OF_WORD = "</w>";
  private static final int CACHE_GENERATION_WORDS = 16_384;
  private static final int CACHE_MAX_WORD_CHARS = 64;

  private final ByteLevelBpe bpe;
  private final int startId;
  private final int endId;
  private final int padId;
  private final WordCache cache = new WordCache(CACHE_GENERATION_WORDS, CACHE_MAX_WORD_CHARS);

  private ClipBpeTokenizer(ByteLevelBpe bpe, int startId, int endId, int padId) {
    this.bpe = bpe;
    this.startId = startId;
    this.endId = endId;
    this.padId = padId;
  }

  /**
   * Loads the original OpenAI merges file ({@code bpe_simple_vocab_16e6.txt.gz}: a version line,
   * then one merge per line). The vocabulary is built as the reference builds it: the 256 byte
   * symbols, their {@code </w>} forms, the first {@value #MERGES_USED} merges, {@code
   * <|startoftext|>}, {@code <|endoftext|>}. The pad id is 0, as in OpenAI's and open_clip's {@code
   * tokenize}, which fill the context with zeros.
   *
   * @throws ModelLoadException when the file is missing, not gzip, or not a merges list
   */
  public static ClipBpeTokenizer fromMergesFile(Path bpeSimpleVocabTxtGz) {
    Vocabulary vocabulary = readMergesFile(bpeSimpleVocabTxtGz);
    Map<String, Integer> ids = vocabulary.ids();
    return build(
        ids,
        vocabulary.merges(),
        ids.get(ClipTextCleaner.START_OF_TEXT),
        ids.get(ClipTextCleaner.END_OF_TEXT),
        0,
        bpeSimpleVocabTxtGz);
  }

  /**
   * Loads the vocabulary of a CLIP model's Hugging Face {@code tokenizer.json}: {@code model.type}
   * BPE with {@code end_of_word_suffix} {@code </w>}, {@code model.vocab}, {@code model.merges}
   * (strings {@code "a b"} or pairs {@code ["a", "b"]}, depending on the version of {@code
   * tokenizers} that wrote it), and the special tokens from {@code added_tokens} or the vocabulary.
   * The pad id is {@code padding.pad_id} when the file configures padding, else the end token's id
   * (what Hugging Face CLIP exports pad with).
   *
   * <p>The file's normalizer and pre-tokenizer sections are not interpreted: the text goes through
   * CLIP's own cleaning, including the HTML unescape that the {@code tokenizers} library lacks.
   *
   * @throws ModelLoadException when the file is missing, not JSON, or not a CLIP BPE tokenizer
   */
  public static ClipBpeTokenizer fromTokenizerJson(Path tokenizerJson) {
    return fromTokenizerJson(HfTokenizerJson.read(tokenizerJson));
  }

  static ClipBpeTokenizer fromTokenizerJson(HfTokenizerJson json) {
    if (!"BPE".equals(json.modelType())) {
      throw json.error("model.type is " + json.modelType() + ", not the BPE of a CLIP tokenizer");
    }
    String suffix = json.model().path("end_of_word_suffix").asText("");
    if (!END_OF_WORD.equals(suffix)) {
      throw json.error(
          "model.end_of_word_suffix is \""
              + suffix
              + "\", CLIP's BPE needs \""
              + END_OF_WORD
              + "\"");
    }
    String prefix = json.model().path("continuing_subword_prefix").asText("");
    if (!prefix.isEmpty()) {
      throw json.error(
          "model.continuing_subword_prefix is \"" + prefix + "\", CLIP's BPE has none");
    }
    Map<String, Integer> vocab = json.vocab();
    List<String[]> merges = new ArrayList<>();
    int index = 0;
    for (var merge : json.model().path("merges")) {
      index++;
      String[] pair = null;
      if (merge.isTextual()) {
        pair = merge.asText().split(" ", -1);
      } else if (merge.isArray() && merge.size() == 2) {
        pair = new String[] {merge.get(0).asText(), merge.get(1).asText()};
      }
      if (pair == null || pair.length != 2 || pair[0].isEmpty() || pair[1].isEmpty()) {
        throw json.error("model.merges[" + (index - 1) + "] is not a pair of tokens: " + merge);
      }
      merges.add(pair);
    }
    if (merges.isEmpty()) {
      throw json.error("has no model.merges");
    }
    int start = json.specialTokenId(ClipTextCleaner.START_OF_TEXT, vocab);
    int end = json.specialTokenId(ClipTextCleaner.END_OF_TEXT, vocab);
    int pad = json.paddingId().orElse(end);
    return build(vocab, merges, start, end, pad, json.file());
  }

  @Override
  public int[] encode(String text, int maxLength) {
    Objects.requireNonNull(text, "text");
    TokenIds.checkMaxLength(maxLength);
    // Words past the point where truncation is certain cannot change the result.
    int enough = maxLength - 1;
    TokenIds ids = new TokenIds(Math.min(maxLength, 80));
    Matcher words = ClipTextCleaner.words(ClipTextCleaner.clean(text));
    while (ids.size() < enough && words.find()) {
      String word = words.group();
      if (word.equals(ClipTextCleaner.START_OF_TEXT)) {
        ids.add(startId);
      } else if (word.equals(ClipTextCleaner.END_OF_TEXT)) {
        ids.add(endId);
      } else {
        ids.addAll(cache.get(word, bpe::encodeWord));
      }
    }
    return ids.framed(startId, endId, maxLength);
  }

  @Override
  public int padId() {
    return padId;
  }

  /** A BPE vocabulary: token to id, and the merges in rank order. */
  record Vocabulary(Map<String, Integer> ids, List<String[]> merges) {}

  /** The vocabulary OpenAI's {@code simple_tokenizer} builds from a merges file. */
  static Vocabulary readMergesFile(Path file) {
    List<String[]> merges = readMerges(file);
    List<String> tokens = new ArrayList<>(2 * 256 + merges.size() + 2);
    String[] symbols = byteSymbols();
    for (int b : vocabularyByteOrder()) {
      tokens.add(symbols[b]);
    }
    for (int b : vocabularyByteOrder()) {
      tokens.add(symbols[b] + END_OF_WORD);
    }
    for (String[] merge : merges) {
      tokens.add(merge[0] + merge[1]);
    }
    tokens.add(ClipTextCleaner.START_OF_TEXT);
    tokens.add(ClipTextCleaner.END_OF_TEXT);
    Map<String, Integer> ids = new HashMap<>(tokens.size() * 2);
    for (int id = 0; id < tokens.size(); id++) {
      ids.put(tokens.get(id), id);
    }
    return new Vocabulary(ids, merges);
  }

  private static ClipBpeTokenizer build(
      Map<String, Integer> vocab,
      List<String[]> merges,
      int startId,
      int endId,
      int padId,
      Path file) {
    String[] symbols = byteSymbols();
    int[] byteIds = new int[256];
    int[] byteEndIds = new int[256];
    for (int b = 0; b < 256; b++) {
      byteIds[b] = requireToken(vocab, symbols[b], file);
      byteEndIds[b] = requireToken(vocab, symbols[b] + END_OF_WORD, file);
    }
    int[] lefts = new int[merges.size()];
    int[] rights = new int[merges.size()];
    int[] mergedIds = new int[merges.size()];
    for (int rank = 0; rank < merges.size(); rank++) {
      String[] merge = merges.get(rank);
      Integer left = vocab.get(merge[0]);
      Integer right = vocab.get(merge[1]);
      Integer merged = vocab.get(merge[0] + merge[1]);
      if (left == null || right == null || merged == null) {
        throw new ModelLoadException(
            file
                + ": merge "
                + (rank + 1)
                + " \""
                + merge[0]
                + " "
                + merge[1]
                + "\" names a token that is not in the vocabulary");
      }
      lefts[rank] = left;
      rights[rank] = right;
      mergedIds[rank] = merged;
    }
    ByteLevelBpe bpe =
        new ByteLevelBpe(byteIds, byteEndIds, new ByteLevelBpe.PairRanks(lefts, rights), mergedIds);
    return new ClipBpeTokenizer(bpe, startId, endId, padId);
  }

  private static int requireToken(Map<String, Integer> vocab, String token, Path file) {
    Integer id = vocab.get(token);
    if (id == null) {
      throw new ModelLoadException(
          file + ": the vocabulary lacks the byte symbol \"" + token + "\" of a byte-level BPE");
    }
    return id;
  }

  private static List<String[]> readMerges(Path file) {
    List<String[]> merges = new ArrayList<>(MERGES_USED);
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16);
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String header = reader.readLine();
      if (header == null) {
        throw new ModelLoadException(file + ": empty merges file");
      }
      int lineNumber = 1;
      for (String line = reader.readLine();
          line != null && !line.isEmpty() && merges.size() < MERGES_USED;
          line = reader.readLine()) {
        lineNumber++;
        String[] pair = line.trim().split("\\s+");
        if (pair.length != 2) {
          throw new ModelLoadException(
              file + ": line " + lineNumber + " is not a merge (two tokens): \"" + line + "\"");
        }
        merges.add(pair);
      }
    } catch (NoSuchFileException e) {
      throw new ModelLoadException("merges file not found: " + file, e);
    } catch (ZipException e) {
      throw new ModelLoadException(file + ": not a gzip file (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new ModelLoadException("cannot read merges file " + file + ": " + e.getMessage(), e);
    }
    if (merges.isEmpty()) {
      throw new ModelLoadException(file + ": no merges after the version line");
    }
    return merges;
  }

  /**
   * GPT-2's reversible byte-to-character table: printable Latin-1 bytes stand for themselves, the
   * other 68 bytes for the characters from U+0100 on, in byte order.
   */
  private static String[] byteSymbols() {
    String[] symbols = new String[256];
    int next = 256;
    for (int b = 0; b < 256; b++) {
      symbols[b] = Character.toString(isPrintableByte(b) ? b : next++);
    }
    return symbols;
  }

  /** The bytes in vocabulary order: the printable ones first, then the others, each ascending. */
  private static int[] vocabularyByteOrder() {
    int[] order = new int[256];
    int k = 0;
    for (int b = 0; b < 256; b++) {
      if (isPrintableByte(b)) {
        order[k++] = b;
      }
    }
    for (int b = 0; b < 256; b++) {
      if (!isPrintableByte(b)) {
        order[k++] = b;
      }
    }
    return order;
  }

  private static boolean isPrintableByte(int b) {
    return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
  }
}
