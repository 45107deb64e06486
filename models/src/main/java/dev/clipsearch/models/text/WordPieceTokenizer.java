package dev.clipsearch.models.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.models.ModelLoadException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The WordPiece tokenizer of BERT-style text towers (sentence-transformers models such as
 * all-MiniLM-L6-v2, multilingual CLIP text encoders), loaded from a Hugging Face {@code
 * tokenizer.json} and giving the ids the {@code tokenizers} library gives.
 *
 * <p>Pipeline: literal added tokens ({@code [CLS]}, {@code [MASK]}, ...) are cut out of the raw
 * text first; the rest goes through the {@code BertNormalizer} and {@code BertPreTokenizer} the
 * file configures; each word is split greedily, longest vocabulary match first, later pieces
 * carrying the continuing-subword prefix; a word that cannot be split, or is longer than {@code
 * max_input_chars_per_word} characters, becomes the unknown token. Added tokens' {@code lstrip},
 * {@code rstrip} and {@code single_word} flags are not applied (BERT exports leave them false).
 *
 * <p>Immutable and thread-safe; word encodings are kept in a bounded shared cache.
 */
public final class WordPieceTokenizer implements TextTokenizer {

  private static final int CACHE_GENERATION_WORDS = 16_384;
  private static final int CACHE_MAX_WORD_CHARS = 64;

  private final Map<String, Integer> vocab;
  private final String continuingPrefix;
  private final int maxInputCharsPerWord;
  private final int unkId;
  private final int clsId;
  private final int sepId;
  private final int padId;
  private final BertTextSplitter splitter;
  private final AddedTokens rawAddedTokens;
  private final AddedTokens normalizedAddedTokens;
  private final WordCache cache = new WordCache(CACHE_GENERATION_WORDS, CACHE_MAX_WORD_CHARS);

  private WordPieceTokenizer(
      Map<String, Integer> vocab,
      String continuingPrefix,
      int maxInputCharsPerWord,
      int unkId,
      int clsId,
      int sepId,
      int padId,
      BertTextSplitter splitter,
      AddedTokens rawAddedTokens,
      AddedTokens normalizedAddedTokens) {
    this.vocab = Map.copyOf(vocab);
    this.continuingPrefix = continuingPrefix;
    this.maxInputCharsPerWord = maxInputCharsPerWord;
    this.unkId = unkId;
    this.clsId = clsId;
    this.sepId = sepId;
    this.padId = padId;
    this.splitter = splitter;
    this.rawAddedTokens = rawAddedTokens;
    this.normalizedAddedTokens = normalizedAddedTokens;
  }

  /**
   * Loads a BERT-style {@code tokenizer.json}: {@code model.type} WordPiece ({@code vocab}, {@code
   * unk_token}, {@code continuing_subword_prefix}, {@code max_input_chars_per_word}), normalizer
   * {@code BertNormalizer} (or none), pre-tokenizer {@code BertPreTokenizer}. The start and end ids
   * come from the post-processor ({@code TemplateProcessing} or {@code BertProcessing}), else from
   * {@code [CLS]} and {@code [SEP]} in the vocabulary. The pad id is {@code padding.pad_id} when
   * the file configures padding, else {@code [PAD]}'s id, else 0.
   *
   * @throws ModelLoadException when the file is missing, not JSON, or configures something else
   */
  public static WordPieceTokenizer fromTokenizerJson(Path tokenizerJson) {
    return fromTokenizerJson(HfTokenizerJson.read(tokenizerJson));
  }

  static WordPieceTokenizer fromTokenizerJson(HfTokenizerJson json) {
    if (!"WordPiece".equals(json.modelType())) {
      throw json.error("model.type is " + json.modelType() + ", not WordPiece");
    }
    JsonNode model = json.model();
    Map<String, Integer> vocab = json.vocab();
    String unkToken = model.path("unk_token").asText("[UNK]");
    Integer unkId = vocab.get(unkToken);
    if (unkId == null) {
      throw json.error("the unknown token " + unkToken + " is not in model.vocab");
    }
    String prefix = model.path("continuing_subword_prefix").asText("##");
    int maxChars = model.path("max_input_chars_per_word").asInt(100);
    BertTextSplitter splitter = splitter(json);
    requireBertPreTokenizer(json);
    int[] startEnd = startAndEndIds(json, vocab);
    Integer pad = vocab.get("[PAD]");
    int padId = json.paddingId().orElse(pad == null ? 0 : pad);
    List<HfTokenizerJson.AddedToken> raw = new ArrayList<>();
    List<HfTokenizerJson.AddedToken> normalized = new ArrayList<>();
    for (HfTokenizerJson.AddedToken token : json.addedTokens().values()) {
      if (token.content().isEmpty()) {
        continue;
      }
      if (token.normalized()) {
        // Matched in normalized text, so matched in its normalized form.
        String form = splitter.normalize(token.content());
        if (!form.isEmpty()) {
          normalized.add(new HfTokenizerJson.AddedToken(form, token.id(), true));
        }
      } else {
        raw.add(token);
      }
    }
    return new WordPieceTokenizer(
        vocab,
        prefix,
        maxChars,
        unkId,
        startEnd[0],
        startEnd[1],
        padId,
        splitter,
        new AddedTokens(raw),
        new AddedTokens(normalized));
  }

  @Override
  public int[] encode(String text, int maxLength) {
    Objects.requireNonNull(text, "text");
    TokenIds.checkMaxLength(maxLength);
    int enough = maxLength - 1;
    TokenIds ids = new TokenIds(Math.min(maxLength, 64));
    int start = 0;
    while (start < text.length() && ids.size() < enough) {
      AddedTokens.Match match = rawAddedTokens.next(text, start);
      int end = match == null ? text.length() : match.start();
      encodeNormalizing(text.substring(start, end), ids, enough);
      if (match == null) {
        break;
      }
      ids.add(match.id());
      start = match.end();
    }
    return ids.framed(clsId, sepId, maxLength);
  }

  @Override
  public int padId() {
    return padId;
  }

  private void encodeNormalizing(String raw, TokenIds ids, int enough) {
    if (raw.isEmpty()) {
      return;
    }
    String text = splitter.normalize(raw);
    int start = 0;
    while (start < text.length() && ids.size() < enough) {
      AddedTokens.Match match = normalizedAddedTokens.next(text, start);
      int end = match == null ? text.length() : match.start();
      for (String word : splitter.words(text.substring(start, end))) {
        if (ids.size() >= enough) {
          return;
        }
        ids.addAll(cache.get(word, this::wordPieces));
      }
      if (match == null) {
        return;
      }
      ids.add(match.id());
      start = match.end();
    }
  }

  /** Greedy longest-match-first split of one word; the unknown token when it cannot be split. */
  private int[] wordPieces(String word) {
    if (word.codePointCount(0, word.length()) > maxInputCharsPerWord) {
      return new int[] {unkId};
    }
    List<Integer> pieces = new ArrayList<>();
    int start = 0;
    while (start < word.length()) {
      int end = word.length();
      Integer id = null;
      while (start < end) {
        String piece = word.substring(start, end);
        id = vocab.get(start > 0 ? continuingPrefix + piece : piece);
        if (id != null) {
          break;
        }
        end -= Character.charCount(word.codePointBefore(end));
      }
      if (id == null) {
        return new int[] {unkId};
      }
      pieces.add(id);
      start = end;
    }
    return pieces.stream().mapToInt(Integer::intValue).toArray();
  }

  private static BertTextSplitter splitter(HfTokenizerJson json) {
    JsonNode normalizer = json.root().path("normalizer");
    if (normalizer.isMissingNode() || normalizer.isNull()) {
      return BertTextSplitter.withoutNormalizer();
    }
    String type = normalizer.path("type").asText();
    if (!"BertNormalizer".equals(type)) {
      throw json.error("normalizer " + type + " is not supported (BertNormalizer or none)");
    }
    boolean lowercase = normalizer.path("lowercase").asBoolean(true);
    JsonNode strip = normalizer.path("strip_accents");
    boolean stripAccents = strip.isBoolean() ? strip.asBoolean() : lowercase;
    return new BertTextSplitter(
        normalizer.path("clean_text").asBoolean(true),
        normalizer.path("handle_chinese_chars").asBoolean(true),
        stripAccents,
        lowercase);
  }

  private static void requireBertPreTokenizer(HfTokenizerJson json) {
    String type = json.root().path("pre_tokenizer").path("type").asText("none");
    if (!"BertPreTokenizer".equals(type)) {
      throw json.error("pre_tokenizer " + type + " is not supported (BertPreTokenizer only)");
    }
  }

  /** The ids the post-processor wraps a single sequence in. */
  private static int[] startAndEndIds(HfTokenizerJson json, Map<String, Integer> vocab) {
    JsonNode processor = json.root().path("post_processor");
    if (processor.isMissingNode() || processor.isNull()) {
      return new int[] {vocabId(json, vocab, "[CLS]"), vocabId(json, vocab, "[SEP]")};
    }
    String type = processor.path("type").asText();
    switch (type) {
      case "BertProcessing", "RobertaProcessing" -> {
        JsonNode cls = processor.path("cls").path(1);
        JsonNode sep = processor.path("sep").path(1);
        if (!cls.canConvertToInt() || !sep.canConvertToInt()) {
          throw json.error("post_processor " + type + " lacks [token, id] pairs for cls and sep");
        }
        return new int[] {cls.asInt(), sep.asInt()};
      }
      case "TemplateProcessing" -> {
        JsonNode single = processor.path("single");
        if (single.size() != 3
            || !single.get(0).has("SpecialToken")
            || !single.get(1).has("Sequence")
            || !single.get(2).has("SpecialToken")) {
          throw json.error(
              "post_processor.single is not [special token, sequence, special token]: " + single);
        }
        return new int[] {
          templateTokenId(json, processor, single.get(0)),
          templateTokenId(json, processor, single.get(2))
        };
      }
      default -> throw json.error("post_processor " + type + " is not supported");
    }
  }

  private static int templateTokenId(HfTokenizerJson json, JsonNode processor, JsonNode item) {
    String name = item.path("SpecialToken").path("id").asText();
    JsonNode ids = processor.path("special_tokens").path(name).path("ids");
    if (ids.size() != 1 || !ids.get(0).canConvertToInt()) {
      throw json.error("post_processor.special_tokens." + name + " does not name exactly one id");
    }
    return ids.get(0).asInt();
  }

  private static int vocabId(HfTokenizerJson json, Map<String, Integer> vocab, String token) {
    Integer id = vocab.get(token);
    if (id == null) {
      throw json.error("has no post_processor and no " + token + " token in model.vocab");
    }
    return id;
  }

  /** Literal tokens cut out of a text before the rest is tokenized; leftmost, then longest. */
  private static final class AddedTokens {
    record Match(int start, int end, int id) {}

    private final List<HfTokenizerJson.AddedToken> longestFirst;

    AddedTokens(List<HfTokenizerJson.AddedToken> tokens) {
      List<HfTokenizerJson.AddedToken> sorted = new ArrayList<>(tokens);
      sorted.sort(
          Comparator.comparingInt((HfTokenizerJson.AddedToken t) -> t.content().length())
              .reversed());
      this.longestFirst = List.copyOf(sorted);
    }

    /** The first added token at or after {@code from}, or null. */
    Match next(String text, int from) {
      if (longestFirst.isEmpty()) {
        return null;
      }
      for (int i = from; i < text.length(); i++) {
        for (HfTokenizerJson.AddedToken token : longestFirst) {
          if (text.startsWith(token.content(), i)) {
            return new Match(i, i + token.content().length(), token.id());
          }
        }
      }
      return null;
    }
  }
}
