package dev.clipsearch.models.text;

import java.text.Normalizer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's text cleaning and pre-tokenization, as the reference pipeline (OpenAI's {@code
 * simple_tokenizer}, with NFC standing in for {@code ftfy.fix_text}) runs them in Python.
 *
 * <p>Each step reproduces a Python behaviour where Java's differs:
 *
 * <ul>
 *   <li>{@code str.strip()} removes {@code str.isspace()} characters, which include U+001C..U+001F
 *       and the no-break spaces that {@link String#strip()} keeps;
 *   <li>the whitespace collapse uses the {@code regex} module's {@code \s}, the Unicode White_Space
 *       property (Java's plain {@code \s} is ASCII only);
 *   <li>{@code str.lower()} turns a capital sigma into a final sigma by the Unicode rule (cased
 *       letter before, none after, case-ignorable characters skipped); Java's {@link
 *       String#toLowerCase} decides by word boundaries and differs on {@code ΑΣ.Β}, {@code ΑΣ:Β};
 *   <li>the split pattern is compiled with {@code re.IGNORECASE} in the reference, under which
 *       U+017F (long s) matches {@code s} and U+0345 (combining ypogegrammeni) matches no branch at
 *       all, so it is dropped; the Java pattern spells both out.
 * </ul>
 *
 * Checked on every code point against Python 3.11 and {@code regex} 2026.9: the only differences
 * left are characters that one side's Unicode tables do not assign yet.
 */
final class ClipTextCleaner {

  static final String START_OF_TEXT = "<|startoftext|>";
  static final String END_OF_TEXT = "<|endoftext|>";

  /** The CLIP split pattern, for text that is already lowercase (see the class comment). */
  private static final Pattern WORDS =
      Pattern.compile(
          "<\\|[s\\x{17F}]tartoftext\\|>|<\\|endoftext\\|>|'[s\\x{17F}]|'t|'re|'ve|'m|'ll|'d"
              + "|\\p{L}+|\\p{N}|[^\\p{IsWhite_Space}\\p{L}\\p{N}\\x{345}]+");

  private static final Pattern WHITESPACE_RUN = Pattern.compile("\\p{IsWhite_Space}+");

  private ClipTextCleaner() {}

  /** NFC, HTML unescape twice, strip, collapse whitespace, lowercase. */
  static String clean(String text) {
    String t = Normalizer.normalize(text, Normalizer.Form.NFC);
    t = HtmlUnescaper.unescape(HtmlUnescaper.unescape(t));
    t = pythonStrip(t);
    t = WHITESPACE_RUN.matcher(t).replaceAll(" ");
    t = pythonStrip(t);
    return pythonLower(t);
  }

  /**
   * A matcher whose successive {@code find()}s yield the words of a cleaned text, in order; the two
   * special tokens come out whole. Characters that no branch matches are skipped.
   */
  static Matcher words(String cleaned) {
    return WORDS.matcher(cleaned);
  }

  /** Python's {@code str.isspace()} for one code point. */
  static boolean isPythonSpace(int cp) {
    return (cp >= 0x1C && cp <= 0x1F) || isUnicodeWhitespace(cp);
  }

  /** The Unicode White_Space property, which the {@code regex} module's {@code \s} matches. */
  static boolean isUnicodeWhitespace(int cp) {
    return switch (cp) {
      case 0x09,
          0x0A,
          0x0B,
          0x0C,
          0x0D,
          0x20,
          0x85,
          0xA0,
          0x1680,
          0x2028,
          0x2029,
          0x202F,
          0x205F,
          0x3000 ->
          true;
      default -> cp >= 0x2000 && cp <= 0x200A;
    };
  }

  static String pythonStrip(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && isPythonSpace(text.codePointAt(start))) {
      start += Character.charCount(text.codePointAt(start));
    }
    while (end > start && isPythonSpace(text.codePointBefore(end))) {
      end -= Character.charCount(text.codePointBefore(end));
    }
    return text.substring(start, end);
  }

  /** Python's {@code str.lower()}: full case mapping, final sigma by the Unicode context rule. */
  static String pythonLower(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int width = Character.charCount(cp);
      String lowered = lowerOne(text, i, cp);
      boolean unchanged = lowered == null;
      if (!unchanged && out == null) {
        out = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      if (out != null) {
        if (unchanged) {
          out.appendCodePoint(cp);
        } else {
          out.append(lowered);
        }
      }
      i += width;
    }
    return out == null ? text : out.toString();
  }

  /** The lowercase of the code point at {@code index}, or null when it is its own lowercase. */
  private static String lowerOne(String text, int index, int cp) {
    if (cp < 0x80) {
      return cp >= 'A' && cp <= 'Z' ? String.valueOf((char) (cp + ('a' - 'A'))) : null;
    }
    if (cp == 0x130) {
      // The one unconditional multi-character lowercase mapping: İ -> i + combining dot above.
      return "i\u0307";
    }
    if (cp == 0x3A3) {
      return isFinalSigma(text, index) ? "\u03C2" : "\u03C3";
    }
    int lower = Character.toLowerCase(cp);
    return lower == cp ? null : Character.toString(lower);
  }

  /** Unicode's Final_Sigma: cased (case-ignorable)* Σ, not followed by (case-ignorable)* cased. */
  private static boolean isFinalSigma(String text, int index) {
    int before = index;
    int cp = -1;
    while (before > 0) {
      cp = text.codePointBefore(before);
      before -= Character.charCount(cp);
      if (!isCaseIgnorable(cp)) {
        break;
      }
      cp = -1;
    }
    if (cp < 0 || !isCased(cp)) {
      return false;
    }
    for (int after = index + 1; after < text.length(); ) {
      int next = text.codePointAt(after);
      if (!isCaseIgnorable(next)) {
        return !isCased(next);
      }
      after += Character.charCount(next);
    }
    return true;
  }

  private static boolean isCased(int cp) {
    return Character.isLowerCase(cp) || Character.isUpperCase(cp) || Character.isTitleCase(cp);
  }

  /** Mn, Me, Cf, Lm, Sk, or Word_Break MidLetter, MidNumLet or Single_Quote. */
  private static boolean isCaseIgnorable(int cp) {
    switch (cp) {
      case '\'',
          '.',
          ':',
          0xB7,
          0x387,
          0x55F,
          0x5F4,
          0x2018,
          0x2019,
          0x2024,
          0x2027,
          0xFE13,
          0xFE52,
          0xFE55,
          0xFF07,
          0xFF0E,
          0xFF1A -> {
        return true;
      }
      default -> {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK
            || type == Character.ENCLOSING_MARK
            || type == Character.FORMAT
            || type == Character.MODIFIER_LETTER
            || type == Character.MODIFIER_SYMBOL;
      }
    }
  }
}
