package dev.clipsearch.models.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTML character-reference decoding with the semantics of Python's {@code html.unescape}, which
 * CLIP's text cleaning applies (twice) before tokenizing.
 *
 * <p>That means the full HTML5 list of named references (2231 names, from {@code
 * html5-entities.tsv}), the legacy names that need no semicolon ({@code &amp}, {@code &copy}), the
 * longest-prefix rule for an unknown name ({@code &notit;} is {@code ¬it;}), and the HTML5 rules
 * for bad numeric references: {@code &#128;} through {@code &#159;} read as Windows-1252, zero,
 * surrogates and values past U+10FFFF become U+FFFD, and the noncharacters and most C0/C1 controls
 * are dropped. Apache Commons Text's {@code unescapeHtml4} is not a substitute: it knows only the
 * 253 HTML 4 names, requires the semicolon and passes invalid numeric references through.
 */
final class HtmlUnescaper {

  /** Python's pattern: a numeric reference, or up to 32 name characters, optional ';'. */
  private static final Pattern REFERENCE =
      Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");

  private static final String ENTITY_TABLE = "html5-entities.tsv";

  /** Numeric references the HTML5 parser maps to another character. */
  private static final Map<Integer, String> REMAPPED_NUMERIC = remappedNumeric();

  private static final Map<String, String> NAMED = loadNamed();

  private HtmlUnescaper() {}

  /** Decodes every character reference in {@code text}, as Python's {@code html.unescape}. */
  static String unescape(String text) {
    if (text.indexOf('&') < 0) {
      return text;
    }
    Matcher matcher = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    while (matcher.find()) {
      out.append(text, last, matcher.start());
      out.append(decode(matcher.group(1)));
      last = matcher.end();
    }
    return out.append(text, last, text.length()).toString();
  }

  private static String decode(String reference) {
    if (reference.charAt(0) == '#') {
      boolean hex = reference.charAt(1) == 'x' || reference.charAt(1) == 'X';
      String digits = stripSemicolon(reference.substring(hex ? 2 : 1));
      return numeric(parseCodePoint(digits, hex ? 16 : 10));
    }
    String value = NAMED.get(reference);
    if (value != null) {
      return value;
    }
    for (int length = reference.length() - 1; length > 1; length--) {
      String prefixValue = NAMED.get(reference.substring(0, length));
      if (prefixValue != null) {
        return prefixValue + reference.substring(length);
      }
    }
    return "&" + reference;
  }

  /**
   * The value of the digits, or -1 when it is past any code point (Python's ints do not overflow).
   */
  private static long parseCodePoint(String digits, int radix) {
    int first = 0;
    while (first < digits.length() - 1 && digits.charAt(first) == '0') {
      first++;
    }
    String significant = digits.substring(first);
    if (significant.length() > 8) {
      return -1;
    }
    return Long.parseLong(significant, radix);
  }

  private static String numeric(long value) {
    if (value < 0 || value > Character.MAX_CODE_POINT) {
      return "\uFFFD";
    }
    int codePoint = (int) value;
    String remapped = REMAPPED_NUMERIC.get(codePoint);
    if (remapped != null) {
      return remapped;
    }
    if (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE) {
      return "\uFFFD";
    }
    if (isDroppedCodePoint(codePoint)) {
      return "";
    }
    return Character.toString(codePoint);
  }

  /** C0 controls other than tab, LF, FF, CR; DEL and C1 controls; the Unicode noncharacters. */
  private static boolean isDroppedCodePoint(int cp) {
    return (cp >= 0x1 && cp <= 0x8)
        || cp == 0xB
        || (cp >= 0xE && cp <= 0x1F)
        || (cp >= 0x7F && cp <= 0x9F)
        || (cp >= 0xFDD0 && cp <= 0xFDEF)
        || (cp & 0xFFFE) == 0xFFFE;
  }

  private static String stripSemicolon(String digits) {
    return digits.endsWith(";") ? digits.substring(0, digits.length() - 1) : digits;
  }

  private static Map<Integer, String> remappedNumeric() {
    Map<Integer, String> map = new HashMap<>();
    map.put(0x00, "\uFFFD");
    map.put(0x0D, "\r");
    // 0x80..0x9F: the Windows-1252 reading; the five bytes it leaves undefined stay as they are.
    String windows1252 =
        "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D"
            + "\u017D\u008F\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161"
            + "\u203A\u0153\u009D\u017E\u0178";
    for (int i = 0; i < windows1252.length(); i++) {
      map.put(0x80 + i, String.valueOf(windows1252.charAt(i)));
    }
    return Map.copyOf(map);
  }

  private static Map<String, String> loadNamed() {
    Map<String, String> map = new HashMap<>(4096);
    try (InputStream in = HtmlUnescaper.class.getResourceAsStream(ENTITY_TABLE)) {
      if (in == null) {
        throw new IllegalStateException(
            "missing resource " + ENTITY_TABLE + " beside " + HtmlUnescaper.class);
      }
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int tab = line.indexOf('\t');
        StringBuilder value = new StringBuilder(2);
        for (String hex : line.substring(tab + 1).split(" ")) {
          value.appendCodePoint(Integer.parseInt(hex, 16));
        }
        map.put(line.substring(0, tab), value.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + ENTITY_TABLE, e);
    }
    return Map.copyOf(map);
  }
}
