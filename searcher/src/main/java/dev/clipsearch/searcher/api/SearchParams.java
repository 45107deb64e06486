package dev.clipsearch.searcher.api;

import dev.clipsearch.searcher.service.SearchFilters;
import dev.clipsearch.searcher.service.SearchMode;
import dev.clipsearch.searcher.service.SearchOptions;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
    String mode = ctx.queryParam("mode");
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

  /** Filters, {@code k}, {@code offset} and {@code min_score}. */
  static SearchOptions options(Context ctx) {
    int k =
        ctx.queryParamAsClass("k", Integer.class)
            .check(v -> v == null || (v >= 1 && v <= MAX_K), "must be between 1 and " + MAX_K)
            .getOrDefault(DEFAULT_K);
    int offset =
        ctx.queryParamAsClass("offset", Integer.class)
            .check(
                v -> v == null || (v >= 0 && v <= MAX_OFFSET),
                "must be between 0 and " + MAX_OFFSET)
            .getOrDefault(0);
    Double minScore =
        ctx.queryParamAsClass("min_score", Double.class)
            .check(v -> v == null || Double.isFinite(v), "must be a finite number")
            .getOrNull();
    return new SearchOptions(filters(ctx), k, offset, minScore);
  }

  /**
   * The filter parameters: {@code category}, {@code brand}, {@code price_min/max}, {@code tags}.
   */
  static SearchFilters filters(Context ctx) {
    String category = ctx.queryParam("category");
    if (category != null) {
      category = category.strip();
      checkValue("category", category);
    }
    List<String> brands = values(ctx, "brand", false);
    List<String> tags = values(ctx, "tags", true);
    Double priceMin = price(ctx, "price_min");
    Double priceMax = price(ctx, "price_max");
    if (priceMin != null && priceMax != null && priceMin > priceMax) {
      throw ApiErrors.invalidParameter(
          "price_min",
          "parameter 'price_min' ("
              + priceMin
              + ") must not be greater than 'price_max' ("
              + priceMax
              + ")");
    }
    return new SearchFilters(category, brands, priceMin, priceMax, tags);
  }

  private static Double price(Context ctx, String name) {
    return ctx.queryParamAsClass(name, Double.class)
        .check(
            v -> v == null || (Double.isFinite(v) && v >= 0), "must be a finite number, at least 0")
        .getOrNull();
  }

  private static List<String> values(Context ctx, String name, boolean commaSeparated) {
    List<String> out = new ArrayList<>();
    for (String raw : ctx.queryParams(name)) {
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
