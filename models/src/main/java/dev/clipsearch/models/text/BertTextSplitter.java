package dev.clipsearch.models.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code BertNormalizer} and {@code BertPreTokenizer} of Hugging Face {@code tokenizers}, as
 * configured in a {@code tokenizer.json}: a text in, its words out.
 *
 * <p>Normalizer steps, in this order, each optional: clean text (drop NUL, U+FFFD and control,
 * format and private-use characters; whitespace becomes a space), pad CJK ideographs with spaces,
 * strip accents (NFD, then drop nonspacing marks), lowercase (per character, full mapping, no
 * final-sigma rule). Pre-tokenizer: split on whitespace, then isolate each punctuation character.
 *
 * <p>Which characters count as control, nonspacing mark or punctuation follows the library's own
 * (older) Unicode tables, read from {@code bert-char-classes.tsv}, so the words are the library's
 * on recently added characters too. Immutable and thread-safe.
 */
final class BertTextSplitter {

  private static final Map<String, CodePointSet> CLASSES =
      CodePointSet.readTable("bert-char-classes.tsv");
  private static final CodePointSet OTHER = CLASSES.get("other");
  private static final CodePointSet NONSPACING = CLASSES.get("nonspacing");
  private static final CodePointSet PUNCTUATION = CLASSES.get("punctuation");

  private final boolean cleanText;
  private final boolean handleChineseChars;
  private final boolean stripAccents;
  private final boolean lowercase;

  /**
   * @param cleanText drop control characters, turn whitespace into spaces
   * @param handleChineseChars put spaces around CJK ideographs so each is a word
   * @param stripAccents NFD, then drop nonspacing marks
   * @param lowercase lowercase every character
   */
  BertTextSplitter(
      boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase) {
    this.cleanText = cleanText;
    this.handleChineseChars = handleChineseChars;
    this.stripAccents = stripAccents;
    this.lowercase = lowercase;
  }

  /** A splitter that only pre-tokenizes (a tokenizer.json without a normalizer). */
  static BertTextSplitter withoutNormalizer() {
    return new BertTextSplitter(false, false, false, false);
  }

  /** The normalized text. */
  String normalize(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cleanText) {
        if (cp == 0 || cp == 0xFFFD || OTHER.contains(cp) || isSurrogate(cp)) {
          continue;
        }
        if (cp == '\t' || cp == '\n' || cp == '\r' || ClipTextCleaner.isUnicodeWhitespace(cp)) {
          cp = ' ';
        }
      }
      if (handleChineseChars && isChineseChar(cp)) {
        out.append(' ').appendCodePoint(cp).append(' ');
      } else {
        out.appendCodePoint(cp);
      }
    }
    String t = out.toString();
    if (stripAccents) {
      t = withoutNonspacingMarks(Normalizer.normalize(t, Normalizer.Form.NFD));
    }
    return lowercase ? lowercase(t) : t;
  }

  /** The words of a normalized text: whitespace separates, punctuation stands alone. */
  List<String> words(String normalized) {
    List<String> words = new ArrayList<>();
    int start = -1;
    for (int i = 0; i < normalized.length(); ) {
      int cp = normalized.codePointAt(i);
      int width = Character.charCount(cp);
      boolean space = ClipTextCleaner.isUnicodeWhitespace(cp);
      boolean punctuation = !space && PUNCTUATION.contains(cp);
      if (space || punctuation) {
        if (start >= 0) {
          words.add(normalized.substring(start, i));
          start = -1;
        }
        if (punctuation) {
          words.add(normalized.substring(i, i + width));
        }
      } else if (start < 0) {
        start = i;
      }
      i += width;
    }
    if (start >= 0) {
      words.add(normalized.substring(start));
    }
    return words;
  }

  private static String withoutNonspacingMarks(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().filter(cp -> !NONSPACING.contains(cp)).forEach(out::appendCodePoint);
    return out.toString();
  }

  /** Per character, full mapping: only U+0130 lowercases to two characters. */
  private static String lowercase(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == 0x130) {
        out.append("i\u0307");
      } else {
        out.appendCodePoint(Character.toLowerCase(cp));
      }
    }
    return out.toString();
  }

  /** An unpaired surrogate (Rust strings, hence the reference, cannot hold one). */
  private static boolean isSurrogate(int cp) {
    return cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE;
  }

  /**
   * BERT's "Chinese character": the CJK Unified Ideographs blocks and their compatibility forms.
   */
  private static boolean isChineseChar(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F)
        || (cp >= 0x2B920 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }
}
