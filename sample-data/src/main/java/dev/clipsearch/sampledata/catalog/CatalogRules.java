package dev.clipsearch.sampledata.catalog;

import dev.clipsearch.common.io.Digests;
import dev.clipsearch.sampledata.SampleDataException;
import dev.clipsearch.sampledata.emoji.EmojiEntry;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The table that turns emoji into products of a shop: which emoji subgroups are for sale and under
 * which category path, per-emoji exceptions, a price range and a list of invented brands per
 * category. Read from a tab-separated file; the built-in one is {@code catalog-rules.tsv} beside
 * this class, which documents the format.
 */
public final class CatalogRules {

  /** The category path separator ({@code Clothing > Shoes}). */
  public static final String PATH_SEPARATOR = " > ";

  static final String BUILT_IN = "catalog-rules.tsv";
  private static final String NOT_FOR_SALE = "-";

  private final String source;
  private final Map<String, String> categoryBySubgroup;
  private final Map<String, String> categoryByLabel;
  private final Map<String, PriceRange> priceByPrefix;
  private final Map<String, List<String>> brandsByPrefix;
  private final String digest;

  private CatalogRules(
      String source,
      Map<String, String> categoryBySubgroup,
      Map<String, String> categoryByLabel,
      Map<String, PriceRange> priceByPrefix,
      Map<String, List<String>> brandsByPrefix,
      String digest) {
    this.source = source;
    this.categoryBySubgroup = categoryBySubgroup;
    this.categoryByLabel = categoryByLabel;
    this.priceByPrefix = priceByPrefix;
    this.brandsByPrefix = brandsByPrefix;
    this.digest = digest;
  }

  /** The rules that ship with clipsearch. */
  public static CatalogRules builtIn() {
    try (InputStream in = CatalogRules.class.getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw new IllegalStateException(
            "missing resource " + BUILT_IN + " beside " + CatalogRules.class);
      }
      return parse(BUILT_IN, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new SampleDataException("cannot read the built-in catalog rules " + BUILT_IN, e);
    }
  }

  /**
   * Parses a rules file.
   *
   * @param source the file's name, for error messages
   * @throws SampleDataException naming the file and line of the first malformed rule, or a category
   *     without a price range or brands
   */
  public static CatalogRules parse(String source, String text) {
    Map<String, String> bySubgroup = new LinkedHashMap<>();
    Map<String, String> byLabel = new LinkedHashMap<>();
    Map<String, PriceRange> prices = new HashMap<>();
    Map<String, List<String>> brands = new HashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      String where = source + ":" + (i + 1);
      String[] f = line.split("\t", -1);
      String kind = f[0];
      switch (kind) {
        case "subgroup", "emoji" -> {
          expectFields(where, f, 3, kind + "<TAB>key<TAB>category or -");
          String category = f[2].equals(NOT_FOR_SALE) ? NOT_FOR_SALE : checkedPath(where, f[2]);
          Map<String, String> target = kind.equals("subgroup") ? bySubgroup : byLabel;
          if (target.put(nonBlank(where, f[1]), category) != null) {
            throw malformed(where, "duplicate " + kind + " rule for '" + f[1] + "'");
          }
        }
        case "price" -> {
          expectFields(where, f, 4, "price<TAB>category prefix<TAB>min<TAB>max");
          try {
            PriceRange range = new PriceRange(new BigDecimal(f[2]), new BigDecimal(f[3]));
            if (prices.put(checkedPath(where, f[1]), range) != null) {
              throw malformed(where, "duplicate price rule for '" + f[1] + "'");
            }
          } catch (IllegalArgumentException e) {
            throw malformed(where, e.getMessage());
          }
        }
        case "brands" -> {
          expectFields(where, f, 3, "brands<TAB>category prefix<TAB>name, name, ...");
          List<String> names = Arrays.stream(f[2].split(",")).map(String::strip).toList();
          if (names.stream().anyMatch(String::isEmpty)) {
            throw malformed(where, "empty brand name in '" + f[2] + "'");
          }
          if (brands.put(checkedPath(where, f[1]), names) != null) {
            throw malformed(where, "duplicate brands rule for '" + f[1] + "'");
          }
        }
        default ->
            throw malformed(where, "unknown rule '" + kind + "' (subgroup, emoji, price, brands)");
      }
    }
    CatalogRules rules =
        new CatalogRules(
            source,
            Map.copyOf(bySubgroup),
            Map.copyOf(byLabel),
            Map.copyOf(prices),
            Map.copyOf(brands),
            Digests.sha256Hex(text));
    rules.checkEveryCategoryIsPricedAndBranded();
    return rules;
  }

  /** Where an emoji goes: a category, or why it is not for sale. */
  public sealed interface Placement {
    /** For sale under {@code category}. */
    record ForSale(String category) implements Placement {}

    /** Not for sale. */
    record NotForSale(SkipReason reason) implements Placement {}
  }

  /** The category of {@code entry}, or why it is not for sale. */
  public Placement place(EmojiEntry entry) {
    String byLabel = categoryByLabel.get(entry.label());
    if (byLabel != null) {
      return byLabel.equals(NOT_FOR_SALE)
          ? new Placement.NotForSale(SkipReason.DROPPED_BY_RULE)
          : new Placement.ForSale(byLabel);
    }
    String bySubgroup = categoryBySubgroup.get(entry.subgroup());
    return bySubgroup == null || bySubgroup.equals(NOT_FOR_SALE)
        ? new Placement.NotForSale(SkipReason.NOT_A_PRODUCT)
        : new Placement.ForSale(bySubgroup);
  }

  /** The price range of {@code category}: the rule with the longest matching prefix. */
  public PriceRange priceRange(String category) {
    return longestPrefix(priceByPrefix, category)
        .orElseThrow(() -> new SampleDataException(source + ": no price rule covers " + category));
  }

  /** The brands of {@code category}: the rule with the longest matching prefix. */
  public List<String> brands(String category) {
    return longestPrefix(brandsByPrefix, category)
        .orElseThrow(() -> new SampleDataException(source + ": no brands rule covers " + category));
  }

  /** The labels with an emoji rule of their own, for checks against the emoji data. */
  public Set<String> emojiRuleLabels() {
    return new TreeSet<>(categoryByLabel.keySet());
  }

  /** The subgroups with a rule, for checks against the emoji data. */
  public Set<String> subgroupRuleKeys() {
    return new TreeSet<>(categoryBySubgroup.keySet());
  }

  /** SHA-256 of the rules text: a build made with other rules is out of date. */
  public String digest() {
    return digest;
  }

  private void checkEveryCategoryIsPricedAndBranded() {
    Set<String> categories = new TreeSet<>(categoryBySubgroup.values());
    categories.addAll(categoryByLabel.values());
    categories.remove(NOT_FOR_SALE);
    for (String category : categories) {
      priceRange(category);
      brands(category);
    }
  }

  private static <T> Optional<T> longestPrefix(Map<String, T> byPrefix, String category) {
    Objects.requireNonNull(category, "category");
    for (String path = category; ; ) {
      T value = byPrefix.get(path);
      if (value != null) {
        return Optional.of(value);
      }
      int cut = path.lastIndexOf(PATH_SEPARATOR);
      if (cut < 0) {
        return Optional.empty();
      }
      path = path.substring(0, cut);
    }
  }

  private static String checkedPath(String where, String path) {
    String[] levels = path.split(PATH_SEPARATOR, -1);
    for (String level : levels) {
      if (level.isBlank() || !level.equals(level.strip()) || level.contains(">")) {
        throw malformed(where, "bad category path '" + path + "' (levels joined by ' > ')");
      }
    }
    return path;
  }

  private static String nonBlank(String where, String key) {
    if (key.isBlank()) {
      throw malformed(where, "empty key");
    }
    return key;
  }

  private static void expectFields(String where, String[] fields, int count, String format) {
    if (fields.length != count) {
      throw malformed(
          where,
          "expected " + count + " tab-separated fields (" + format + "), got " + fields.length);
    }
  }

  private static SampleDataException malformed(String where, String why) {
    return new SampleDataException(where + ": " + why);
  }
}
