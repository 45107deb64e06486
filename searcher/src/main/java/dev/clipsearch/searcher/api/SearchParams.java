package dev.clipsearch.searcher.api;

import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.searcher.service.SearchFilters;
import dev.clipsearch.searcher.service.SearchMode;
import dev.clipsearch.searcher.service.SearchOptions;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads and validates the query parameters shared by the search routes. Every failure names its
 * parameter (400 {@code invalid_parameter} or {@code missing_parameter}).
 */
final class SearchParams {

  /** Page size when {@code k} is not given. */
  static final int DEFAULT_K = 24;

  /** Largest accepted {@code k}. */
  static final int MAX_K = 1000;

  /** Largest accepted {@code offset}: deep paging through a vector ranking is not served. */
  static final int MAX_OFFSET = 10_000;

  /** Longest accepted value of a filter parameter, in characters. */
  static final int MAX_FILTER_CHARS = 500;

  /** Most values accepted for a repeatable filter. */
  static final int MAX_FILTER_VALUES = 100;

  /**
   * The prefix of the zero-shot attribute filters: {@code attr.color=red}, repeatable (any value
   * matches), one per attribute (all must hold).
   */
  static final String ATTRIBUTE_PREFIX = IndexedProduct.ATTRIBUTE_FACET_PREFIX;

  /** Most attribute filters in one request. */
  static final int MAX_ATTRIBUTE_FILTERS = 20;

  private SearchParams() {}

  /** The non-blank text query {@code q}. Length is not limited here: the service truncates. */
  static String query(Context ctx) {
    String q = ctx.queryParam("q");
    if (q == null) {
      throw ApiErrors.missingParameter("q", "parameter 'q' is required");
    }
    if (q.isBlank()) {
      throw ApiErrors.invalidParameter("q", "parameter 'q' must not be empty");
    }
    return q;
  }

  /** The ranking {@code mode}, {@link SearchMode#HYBRID} by default. */
  static SearchMode mode(Context ctx) {
    return mode(Params.of(ctx));
  }

  /**
   * Where the shared parameters are read from: the query string, or the fields of a JSON body
   * ({@code POST /api/search}), so both are checked by the same code with the same messages.
   */
  interface Params {
    /** The first value of a parameter, or {@code null} when it is absent. */
    String first(String name);

    /** Every value of a repeatable parameter, in order; empty when it is absent. */
    List<String> all(String name);

    /** The names of the parameters present (to find the {@code attr.<name>} filters). */
    Set<String> names();

    /** The query string of a request. */
    static Params of(Context ctx) {
      return new Params() {
        @Override
        public String first(String name) {
          return ctx.queryParam(name);
        }

        @Override
        public List<String> all(String name) {
          return ctx.queryParams(name);
        }

        @Override
        public Set<String> names() {
          return ctx.queryParamMap().keySet();
        }
      };
    }
  }

  /** Filters, {@code k}, {@code offset}, {@code min_score} and {@code facets}. */
  static SearchOptions options(Context ctx) {
    return options(Params.of(ctx));
  }

  /** The ranking {@code mode} from any parameter source, {@link SearchMode#HYBRID} by default. */
  static SearchMode mode(Params params) {
    String mode = params.first("mode");
    if (mode == null) {
      return SearchMode.HYBRID;
    }
    for (SearchMode m : SearchMode.values()) {
      if (m.wireName().equals(mode.trim().toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw ApiErrors.invalidParameter(
        "mode", "parameter 'mode' must be one of vector, hybrid, lexical; got '" + mode + "'");
  }

  /** Filters, {@code k}, {@code offset} and {@code min_score} from any parameter source. */
  static SearchOptions options(Params params) {
    Integer k = integer(params, "k", 1, MAX_K);
    Integer offset = integer(params, "offset", 0, MAX_OFFSET);
    Double minScore = number(params, "min_score");
    if (minScore != null && !Double.isFinite(minScore)) {
      throw ApiErrors.invalidParameter(
          "min_score",
          "parameter 'min_score' must be a finite number, got '" + params.first("min_score") + "'");
    }
    return new SearchOptions(
        filters(params),
        k == null ? DEFAULT_K : k,
        offset == null ? 0 : offset,
        minScore,
        bool(params, "facets", true));
  }

  /** A {@code true} or {@code false} parameter (any case), {@code absent} when it is not given. */
  private static boolean bool(Params params, String name, boolean absent) {
    String raw = params.first(name);
    if (raw == null) {
      return absent;
    }
    return switch (raw.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw ApiErrors.invalidParameter(
              name, "parameter '" + name + "' must be true or false, got '" + raw + "'");
    };
  }

  /**
   * The filter parameters: {@code category}, {@code brand}, {@code price_min/max}, {@code tags},
   * {@code attr.<name>}.
   */
  static SearchFilters filters(Context ctx) {
    return filters(Params.of(ctx));
  }

  static SearchFilters filters(Params params) {
    String category = params.first("category");
    if (category != null) {
      category = category.strip();
      checkValue("category", category);
    }
    List<String> brands = values(params, "brand", false);
    List<String> tags = values(params, "tags", true);
    Double priceMin = price(params, "price_min");
    Double priceMax = price(params, "price_max");
    if (priceMin != null && priceMax != null && priceMin > priceMax) {
      throw ApiErrors.invalidParameter(
          "price_min",
          "parameter 'price_min' ("
              + priceMin
              + ") must not be greater than 'price_max' ("
              + priceMax
              + ")");
    }
    return new SearchFilters(category, brands, priceMin, priceMax, tags, attributes(params));
  }

  /** The {@code attr.<name>} filters, by attribute name; values repeated or comma-separated. */
  static Map<String, List<String>> attributes(Params params) {
    Map<String, List<String>> out = new TreeMap<>();
    for (String param : params.names()) {
      if (!param.startsWith(ATTRIBUTE_PREFIX)) {
        continue;
      }
      String name = param.substring(ATTRIBUTE_PREFIX.length());
      if (!IndexedProduct.isAttributeName(name)) {
        throw ApiErrors.invalidParameter(
            param,
            "parameter '"
                + param
                + "': an attribute name is lowercase letters, digits and underscores ("
                + ATTRIBUTE_PREFIX
                + IndexedProduct.ATTRIBUTE_NAME_PATTERN
                + ")");
      }
      List<String> values = values(params, param, true);
      if (!values.isEmpty()) {
        out.put(name, values);
      }
    }
    if (out.size() > MAX_ATTRIBUTE_FILTERS) {
      throw ApiErrors.invalidParameter(
          ATTRIBUTE_PREFIX + "*",
          "at most " + MAX_ATTRIBUTE_FILTERS + " attribute filters, got " + out.size());
    }
    return out;
  }

  private static Integer integer(Params params, String name, int min, int max) {
    String raw = params.first(name);
    if (raw == null) {
      return null;
    }
    int value;
    try {
      value = Integer.parseInt(raw.strip());
    } catch (NumberFormatException e) {
      throw ApiErrors.invalidParameter(
          name, "parameter '" + name + "' must be a number, got '" + raw + "'");
    }
    if (value < min || value > max) {
      throw ApiErrors.invalidParameter(
          name,
          "parameter '"
              + name
              + "' must be between "
              + min
              + " and "
              + max
              + ", got '"
              + raw
              + "'");
    }
    return value;
  }

  private static Double number(Params params, String name) {
    String raw = params.first(name);
    if (raw == null) {
      return null;
    }
    try {
      return Double.parseDouble(raw.strip());
    } catch (NumberFormatException e) {
      throw ApiErrors.invalidParameter(
          name, "parameter '" + name + "' must be a number, got '" + raw + "'");
    }
  }

  private static Double price(Params params, String name) {
    Double value = number(params, name);
    if (value != null && !(Double.isFinite(value) && value >= 0)) {
      throw ApiErrors.invalidParameter(
          name,
          "parameter '"
              + name
              + "' must be a finite number, at least 0, got '"
              + params.first(name)
              + "'");
    }
    return value;
  }

  private static List<String> values(Params params, String name, boolean commaSeparated) {
    List<String> out = new ArrayList<>();
    for (String raw : params.all(name)) {
      List<String> parts = commaSeparated ? List.of(raw.split(",", -1)) : List.of(raw);
      for (String part : parts) {
        String value = part.strip();
        checkValue(name, value);
        out.add(value);
      }
    }
    if (out.size() > MAX_FILTER_VALUES) {
      throw ApiErrors.invalidParameter(
          name,
          "parameter '" + name + "' has " + out.size() + " values; at most " + MAX_FILTER_VALUES);
    }
    return out;
  }

  private static void checkValue(String name, String value) {
    if (value.isEmpty()) {
      throw ApiErrors.invalidParameter(name, "parameter '" + name + "' must not be empty");
    }
    if (value.length() > MAX_FILTER_CHARS) {
      throw ApiErrors.invalidParameter(
          name, "parameter '" + name + "' is longer than " + MAX_FILTER_CHARS + " characters");
    }
  }
}
