package dev.clipsearch.models.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.models.ModelLoadException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The SentencePiece Unigram tokenizer of SigLIP's text tower (and of other SentencePiece models),
 * loaded from a Hugging Face {@code tokenizer.json} and giving the ids SentencePiece gives.
 *
 * <p>Pipeline: the file's normalizer ({@link TextNormalizers}: SigLIP's lower-cases, removes ASCII
 * punctuation, applies SentencePiece's normalization table, collapses runs of spaces and strips);
 * the {@code Metaspace} pre-tokenizer (spaces become {@code ▁}, a {@code ▁} is prepended, and the
 * text is split before each {@code ▁}); for each word the most probable segmentation (Viterbi over
 * the pieces' log-probability scores), a character no piece covers becoming the unknown token with
 * the score {@code min score - 10}, consecutive unknown tokens fused into one; then the
 * post-processor's special tokens around the ids ({@code $A </s>} for SigLIP). Added tokens are not
 * looked for in the text: SigLIP's normalizer removes their {@code <}, {@code /} and {@code >}
 * anyway.
 *
 * <p>Immutable and thread-safe.
 */
public final class UnigramTokenizer implements TextTokenizer {

  /** SentencePiece's penalty of the unknown token below the lowest piece score. */
  static final float UNKNOWN_PENALTY = 10.0f;

  private final Map<String, Integer> pieces;
  private final float[] scores;
  private final int maxPieceChars;
  private final int unkId;
  private final float unkScore;
  private final UnaryOperator<String> normalizer;
  private final String replacement;
  private final String prependScheme;
  private final boolean split;
  private final int[] prefix;
  private final int[] suffix;
  private final int padId;

  private UnigramTokenizer(
      Map<String, Integer> pieces,
      float[] scores,
      int unkId,
      UnaryOperator<String> normalizer,
      String replacement,
      String prependScheme,
      boolean split,
      int[] prefix,
      int[] suffix,
      int padId) {
    this.pieces = Map.copyOf(pieces);
    this.scores = scores;
    int longest = 1;
    float min = Float.MAX_VALUE;
    for (String piece : pieces.keySet()) {
      longest = Math.max(longest, piece.length());
    }
    for (float s : scores) {
      min = Math.min(min, s);
    }
    this.maxPieceChars = longest;
    this.unkId = unkId;
    this.unkScore = min - UNKNOWN_PENALTY;
    this.normalizer = normalizer;
    this.replacement = replacement;
    this.prependScheme = prependScheme;
    this.split = split;
    this.prefix = prefix;
    this.suffix = suffix;
    this.padId = padId;
  }

  /**
   * Loads a SentencePiece {@code tokenizer.json}: {@code model.type} Unigram ({@code vocab} as
   * {@code [piece, score]} pairs in id order, {@code unk_id}; {@code byte_fallback} must be false),
   * the normalizer ({@link TextNormalizers}), a {@code Metaspace} pre-tokenizer (or none), and a
   * {@code TemplateProcessing} post-processor of the form {@code [special...] $A [special...]} (or
   * none). The pad id is {@code padding.pad_id} when the file configures padding, else {@code
   * <pad>}'s id, else the end token's.
   *
   * @throws ModelLoadException when the file is missing, not JSON, or configures something else
   */
  public static UnigramTokenizer fromTokenizerJson(Path tokenizerJson) {
    return fromTokenizerJson(HfTokenizerJson.read(tokenizerJson));
  }

  static UnigramTokenizer fromTokenizerJson(HfTokenizerJson json) {
    if (!"Unigram".equals(json.modelType())) {
      throw json.error("model.type is " + json.modelType() + ", not Unigram");
    }
    JsonNode model = json.model();
    if (model.path("byte_fallback").asBoolean(false)) {
      throw json.error("model.byte_fallback is true, which is not supported");
    }
    JsonNode vocab = model.get("vocab");
    if (vocab == null || !vocab.isArray() || vocab.isEmpty()) {
      throw json.error("has no \"model.vocab\" array of [piece, score] pairs");
    }
    Map<String, Integer> pieces = new HashMap<>(vocab.size() * 2);
    float[] scores = new float[vocab.size()];
    for (int id = 0; id < vocab.size(); id++) {
      JsonNode entry = vocab.get(id);
      if (!entry.isArray()
          || entry.size() != 2
          || !entry.get(0).isTextual()
          || !entry.get(1).isNumber()) {
        throw json.error("model.vocab[" + id + "] is not a [piece, score] pair: " + entry);
      }
      pieces.putIfAbsent(entry.get(0).asText(), id);
      scores[id] = (float) entry.get(1).asDouble();
    }
    JsonNode unk = model.get("unk_id");
    if (unk == null || !unk.canConvertToInt() || unk.asInt() < 0 || unk.asInt() >= scores.length) {
      throw json.error("model.unk_id is missing or not an id of model.vocab: " + unk);
    }
    JsonNode pre = json.root().path("pre_tokenizer");
    String replacement = "\u2581";
    String prependScheme = "always";
    boolean split = true;
    if (!pre.isMissingNode() && !pre.isNull()) {
      if (!"Metaspace".equals(pre.path("type").asText())) {
        throw json.error(
            "pre_tokenizer type '"
                + pre.path("type").asText()
                + "' is not supported for a Unigram model (Metaspace is)");
      }
      replacement = pre.path("replacement").asText("\u2581");
      if (replacement.codePointCount(0, replacement.length()) != 1) {
        throw json.error("the Metaspace replacement must be one character: " + replacement);
      }
      if (pre.has("prepend_scheme")) {
        prependScheme = pre.get("prepend_scheme").asText();
      } else if (pre.has("add_prefix_space")) { // older files
        prependScheme = pre.get("add_prefix_space").asBoolean() ? "always" : "never";
      }
      if (!List.of("always", "first", "never").contains(prependScheme)) {
        throw json.error("Metaspace prepend_scheme '" + prependScheme + "' is not known");
      }
      split = pre.path("split").asBoolean(true);
    }
    int[][] frame = frame(json, pieces);
    int padId =
        json.paddingId()
            .orElse(
                pieces.containsKey("<pad>")
                    ? pieces.get("<pad>")
                    : frame[1].length > 0 ? frame[1][frame[1].length - 1] : unk.asInt());
    return new UnigramTokenizer(
        pieces,
        scores,
        unk.asInt(),
        TextNormalizers.of(json.root().get("normalizer"), json),
        replacement,
        prependScheme,
        split,
        frame[0],
        frame[1],
        padId);
  }

  /** The ids before and after the text, from a TemplateProcessing {@code single} template. */
  private static int[][] frame(HfTokenizerJson json, Map<String, Integer> pieces) {
    JsonNode post = json.root().path("post_processor");
    if (post.isMissingNode() || post.isNull()) {
      return new int[][] {new int[0], new int[0]};
    }
    if (!"TemplateProcessing".equals(post.path("type").asText())) {
      throw json.error(
          "post_processor type '"
              + post.path("type").asText()
              + "' is not supported for a Unigram model (TemplateProcessing is)");
    }
    List<Integer> before = new ArrayList<>();
    List<Integer> after = new ArrayList<>();
    boolean seenText = false;
    for (JsonNode item : post.path("single")) {
      if (item.has("Sequence")) {
        if (seenText) {
          throw json.error("post_processor.single holds the text twice");
        }
        seenText = true;
      } else if (item.has("SpecialToken")) {
        String name = item.get("SpecialToken").path("id").asText();
        JsonNode ids = post.path("special_tokens").path(name).path("ids");
        List<Integer> target = seenText ? after : before;
        if (ids.isArray() && !ids.isEmpty()) {
          ids.forEach(id -> target.add(id.asInt()));
        } else {
          target.add(json.specialTokenId(name, pieces));
        }
      } else {
        throw json.error("post_processor.single has an item of unknown kind: " + item);
      }
    }
    if (!seenText) {
      throw json.error("post_processor.single has no $A (the text)");
    }
    return new int[][] {
      before.stream().mapToInt(Integer::intValue).toArray(),
      after.stream().mapToInt(Integer::intValue).toArray()
    };
  }

  /**
   * Tokenizes one text: the template's leading special tokens (none for SigLIP), the text's pieces,
   * the trailing ones ({@code </s>}). A text too long for {@code maxLength} keeps its first pieces
   * and still ends with the trailing tokens. No padding.
   */
  @Override
  public int[] encode(String text, int maxLength) {
    int framing = prefix.length + suffix.length;
    if (maxLength <= framing) {
      throw new IllegalArgumentException(
          "maxLength must be more than the " + framing + " special tokens, got " + maxLength);
    }
    List<Integer> ids = pieceIds(text);
    int kept = Math.min(ids.size(), maxLength - framing);
    int[] out = new int[kept + framing];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    for (int i = 0; i < kept; i++) {
      out[prefix.length + i] = ids.get(i);
    }
    System.arraycopy(suffix, 0, out, prefix.length + kept, suffix.length);
    return out;
  }

  @Override
  public int padId() {
    return padId;
  }

  /** The ids of the text's pieces, no special tokens. */
  List<Integer> pieceIds(String text) {
    String normalized = normalizer.apply(text);
    List<Integer> ids = new ArrayList<>();
    float score = 0;
    for (String word : words(normalized)) {
      score = viterbi(word, score, ids);
    }
    return ids;
  }

  /** Metaspace: spaces to the replacement, the prefix, and a split before each replacement. */
  private List<String> words(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    String replaced = text.replace(" ", replacement);
    if (!prependScheme.equals("never") && !replaced.startsWith(replacement)) {
      replaced = replacement + replaced;
    }
    if (!split) {
      return List.of(replaced);
    }
    List<String> words = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= replaced.length(); i++) {
      if (i == replaced.length() || replaced.startsWith(replacement, i)) {
        words.add(replaced.substring(start, i));
        start = i;
      }
    }
    return words;
  }

  /**
   * Appends the best segmentation of {@code word}, consecutive unknown pieces fused, and returns
   * the path score so far. As SentencePiece does: scores are float32 sums carried over the whole
   * text (words never share a piece, so one pass per word gives the same path), and of two equal
   * paths to a position the one whose last piece starts later wins. Both decide exact ties, which
   * are common (pieces often have equal scores).
   */
  private float viterbi(String word, float initial, List<Integer> out) {
    int n = word.length();
    float[] best = new float[n + 1];
    int[] fromPos = new int[n + 1];
    int[] pieceId = new int[n + 1];
    boolean[] reached = new boolean[n + 1];
    best[0] = initial;
    reached[0] = true;
    for (int start = 0; start < n; start++) {
      if (!reached[start] || Character.isLowSurrogate(word.charAt(start))) {
        continue;
      }
      int charLength = Character.charCount(word.codePointAt(start));
      boolean singleCovered = false;
      int limit = Math.min(n, start + maxPieceChars);
      for (int end = start + 1; end <= limit; end++) {
        if (end < n && Character.isLowSurrogate(word.charAt(end))) {
          continue;
        }
        Integer id = pieces.get(word.substring(start, end));
        if (id == null) {
          continue;
        }
        if (end - start == charLength) {
          singleCovered = true;
        }
        relax(best, fromPos, pieceId, reached, start, end, id, best[start] + scores[id]);
      }
      if (!singleCovered) {
        int end = start + charLength;
        relax(best, fromPos, pieceId, reached, start, end, unkId, best[start] + unkScore);
      }
    }
    List<Integer> reversed = new ArrayList<>();
    for (int end = n; end > 0; end = fromPos[end]) {
      reversed.add(pieceId[end]);
    }
    for (int i = reversed.size() - 1; i >= 0; i--) {
      int id = reversed.get(i);
      boolean previousUnknown =
          i < reversed.size() - 1 && reversed.get(i + 1) == unkId && id == unkId;
      if (!previousUnknown) { // consecutive unknown pieces become one
        out.add(id);
      }
    }
    return best[n];
  }

  private static void relax(
      float[] best,
      int[] fromPos,
      int[] pieceId,
      boolean[] reached,
      int start,
      int end,
      int id,
      float score) {
    if (!reached[end] || score >= best[end]) {
      best[end] = score;
      fromPos[end] = start;
      pieceId[end] = id;
      reached[end] = true;
    }
  }
}
