package dev.clipsearch.models.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code normalizer} of a tokenizer.json as a plain string function, for the normalizer types
 * SentencePiece exports use: {@code Sequence}, {@code Lowercase}, {@code Replace} (a literal string
 * or a regex), {@code Strip}, {@code Precompiled} (SentencePiece's own table, {@link SpmCharsMap})
 * and the Unicode forms {@code NFC}, {@code NFD}, {@code NFKC}, {@code NFKD}. Another type is an
 * error naming it.
 */
final class TextNormalizers {

  private TextNormalizers() {}

  /** The function {@code node} describes; identity for a missing or null normalizer. */
  static UnaryOperator<String> of(JsonNode node, HfTokenizerJson json) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return UnaryOperator.identity();
    }
    String type = node.path("type").asText("");
    return switch (type) {
      case "Sequence" -> {
        List<UnaryOperator<String>> steps = new ArrayList<>();
        for (JsonNode step : node.path("normalizers")) {
          steps.add(of(step, json));
        }
        yield text -> {
          for (UnaryOperator<String> step : steps) {
            text = step.apply(text);
          }
          return text;
        };
      }
      // Unicode's full lower-casing, final sigma included, as Rust's str::to_lowercase does
      case "Lowercase" -> text -> text.toLowerCase(Locale.ROOT);
      case "Replace" -> replace(node, json);
      case "Strip" ->
          strip(node.path("strip_left").asBoolean(true), node.path("strip_right").asBoolean(true));
      case "Precompiled" -> precompiled(node, json);
      case "NFC" -> text -> Normalizer.normalize(text, Normalizer.Form.NFC);
      case "NFD" -> text -> Normalizer.normalize(text, Normalizer.Form.NFD);
      case "NFKC" -> text -> Normalizer.normalize(text, Normalizer.Form.NFKC);
      case "NFKD" -> text -> Normalizer.normalize(text, Normalizer.Form.NFKD);
      default ->
          throw json.error(
              "normalizer type '"
                  + type
                  + "' is not supported (Sequence, Lowercase, Replace, Strip, Precompiled, NFC,"
                  + " NFD, NFKC, NFKD are)");
    };
  }

  private static UnaryOperator<String> replace(JsonNode node, HfTokenizerJson json) {
    JsonNode pattern = node.path("pattern");
    String content = node.path("content").asText("");
    if (pattern.has("String")) {
      String literal = pattern.get("String").asText();
      if (literal.isEmpty()) {
        throw json.error("a Replace normalizer has an empty pattern");
      }
      return text -> text.replace(literal, content);
    }
    if (pattern.has("Regex")) {
      Pattern regex;
      try {
        regex = Pattern.compile(pattern.get("Regex").asText());
      } catch (PatternSyntaxException e) {
        throw json.error("a Replace normalizer's regex does not compile: " + e.getMessage());
      }
      String replacement = Matcher.quoteReplacement(content);
      return text -> regex.matcher(text).replaceAll(replacement);
    }
    throw json.error("a Replace normalizer has no String or Regex pattern: " + node);
  }

  /** Strips Unicode white space, as Rust's trim_start / trim_end do. */
  private static UnaryOperator<String> strip(boolean left, boolean right) {
    return text -> {
      int start = 0;
      int end = text.length();
      while (left && start < end && isWhiteSpace(text.codePointAt(start))) {
        start += Character.charCount(text.codePointAt(start));
      }
      while (right && end > start && isWhiteSpace(text.codePointBefore(end))) {
        end -= Character.charCount(text.codePointBefore(end));
      }
      return text.substring(start, end);
    };
  }

  /** Unicode's White_Space property (what Rust's char::is_whitespace tests). */
  static boolean isWhiteSpace(int c) {
    return (c >= 0x9 && c <= 0xD)
        || c == 0x20
        || c == 0x85
        || c == 0xA0
        || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A)
        || c == 0x2028
        || c == 0x2029
        || c == 0x202F
        || c == 0x205F
        || c == 0x3000;
  }

  private static UnaryOperator<String> precompiled(JsonNode node, HfTokenizerJson json) {
    JsonNode map = node.get("precompiled_charsmap");
    if (map == null || map.isNull() || map.asText().isEmpty()) {
      return UnaryOperator.identity(); // an export without a table normalizes nothing here
    }
    try {
      SpmCharsMap charsMap = SpmCharsMap.parse(Base64.getDecoder().decode(map.asText()));
      return charsMap::normalize;
    } catch (IllegalArgumentException e) {
      throw json.error(
          "its Precompiled normalizer's precompiled_charsmap is invalid: " + e.getMessage());
    }
  }
}
