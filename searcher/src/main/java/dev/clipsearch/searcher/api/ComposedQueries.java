package dev.clipsearch.searcher.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.searcher.service.ComposedSearch;
import dev.clipsearch.searcher.service.QueryPart;
import dev.clipsearch.searcher.service.SearchMode;
import dev.clipsearch.searcher.service.SearchOptions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the JSON body of {@code POST /api/search} into a {@link ComposedSearch}: {@code parts}
 * (each a {@code text}, a {@code product} or an {@code image_base64}, with a {@code weight}) beside
 * the options {@code GET /api/search} takes as query parameters. Every failure is a 400 whose
 * {@code parameter} and message name the part ({@code parts[2].weight}); whether a product exists
 * is the service's business (404).
 */
final class ComposedQueries {

  static final String PARTS = "parts";
  static final String TEXT = "text";
  static final String PRODUCT = "product";
  static final String WEIGHT = "weight";

  /** A part's weight when it gives none. */
  static final double DEFAULT_WEIGHT = 1.0;

  private static final List<String> KINDS = List.of(TEXT, PRODUCT, ImageUploads.IMAGE_BASE64_FIELD);

  /**
   * Every field the body may have besides {@code parts}: the query parameters of the GET route (and
   * the {@code attr.<name>} filters).
   */
  private static final Set<String> OPTIONS =
      Set.of(
          "mode",
          "k",
          "offset",
          "min_score",
          "facets",
          "category",
          "brand",
          "price_min",
          "price_max",
          "tags");

  private final ImageUploads uploads;

  ComposedQueries(ImageUploads uploads) {
    this.uploads = uploads;
  }

  /** The composed search a body asks for. */
  ComposedSearch read(JsonNode body) {
    if (!body.isObject()) {
      throw ApiErrors.malformedBody("the JSON body must be an object with 'parts'");
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals(PARTS)
          && !OPTIONS.contains(name)
          && !name.startsWith(SearchParams.ATTRIBUTE_PREFIX)) {
        throw ApiErrors.invalidParameter(
            name,
            "unknown field '" + name + "'; expected 'parts' and the options of GET /api/search");
      }
    }
    SearchParams.Params params = new JsonParams(body);
    SearchMode mode = SearchParams.mode(params);
    if (mode == SearchMode.LEXICAL) {
      throw ApiErrors.invalidParameter(
          "mode",
          "parameter 'mode' must be vector or hybrid for a composed query; for BM25 alone use"
              + " GET /api/search?mode=lexical");
    }
    SearchOptions options = SearchParams.options(params);
    return new ComposedSearch(parts(body.get(PARTS)), mode, options);
  }

  private List<QueryPart> parts(JsonNode parts) {
    if (parts == null || parts.isNull()) {
      throw ApiErrors.missingParameter(PARTS, "the JSON body has no field 'parts'");
    }
    if (!parts.isArray()) {
      throw ApiErrors.invalidParameter(PARTS, "'parts' must be an array of parts");
    }
    if (parts.isEmpty() || parts.size() > ComposedSearch.MAX_PARTS) {
      throw ApiErrors.invalidParameter(
          PARTS,
          "'parts' must hold 1 to " + ComposedSearch.MAX_PARTS + " parts, got " + parts.size());
    }
    List<QueryPart> out = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      out.add(part(parts.get(i), "parts[" + i + "]"));
    }
    if (out.stream().noneMatch(p -> p.weight() > 0)) {
      throw ApiErrors.invalidParameter(
          PARTS, "'parts' needs at least one part with a positive weight; every weight is <= 0");
    }
    return out;
  }

  private QueryPart part(JsonNode node, String name) {
    if (!node.isObject()) {
      throw ApiErrors.invalidParameter(
          name, name + " must be an object with one of 'text', 'product', 'image_base64'");
    }
    String kind = null;
    for (Iterator<String> fields = node.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (KINDS.contains(field)) {
        if (kind != null) {
          throw ApiErrors.invalidParameter(
              name, name + " has both '" + kind + "' and '" + field + "'; a part is one of them");
        }
        kind = field;
      } else if (!field.equals(WEIGHT)) {
        throw ApiErrors.invalidParameter(
            name + "." + field,
            name
                + " has an unknown field '"
                + field
                + "'; expected one of 'text', 'product',"
                + " 'image_base64', and 'weight'");
      }
    }
    if (kind == null) {
      throw ApiErrors.invalidParameter(
          name, name + " has none of 'text', 'product', 'image_base64'");
    }
    double weight = weight(node.get(WEIGHT), name + "." + WEIGHT);
    JsonNode value = node.get(kind);
    String field = name + "." + kind;
    if (!value.isTextual()) {
      throw ApiErrors.invalidParameter(field, field + " must be a string");
    }
    return switch (kind) {
      case TEXT -> new QueryPart.Text(nonBlank(value.asText(), field), weight);
      case PRODUCT -> new QueryPart.Product(nonBlank(value.asText(), field), weight);
      default -> new QueryPart.Image(uploads.decodeBase64(value.asText(), field), weight);
    };
  }

  private static String nonBlank(String value, String field) {
    if (value.isBlank()) {
      throw ApiErrors.invalidParameter(field, field + " must not be empty");
    }
    if (value.length() > SearchParams.MAX_FILTER_CHARS * 2) {
      throw ApiErrors.invalidParameter(
          field, field + " is longer than " + SearchParams.MAX_FILTER_CHARS * 2 + " characters");
    }
    return value;
  }

  private static double weight(JsonNode node, String field) {
    if (node == null) {
      return DEFAULT_WEIGHT;
    }
    if (!node.isNumber()) {
      throw ApiErrors.invalidParameter(field, field + " must be a number, got " + node);
    }
    double weight = node.asDouble();
    if (!Double.isFinite(weight)
        || weight < QueryPart.MIN_WEIGHT
        || weight > QueryPart.MAX_WEIGHT) {
      throw ApiErrors.invalidParameter(
          field,
          field
              + " must be a finite number between "
              + QueryPart.MIN_WEIGHT
              + " and "
              + QueryPart.MAX_WEIGHT
              + ", got "
              + node);
    }
    return weight;
  }

  /** The body's option fields as parameters: numbers and strings as text, arrays as values. */
  private record JsonParams(JsonNode body) implements SearchParams.Params {

    @Override
    public Set<String> names() {
      Set<String> names = new LinkedHashSet<>();
      body.fieldNames().forEachRemaining(names::add);
      return names;
    }

    @Override
    public String first(String name) {
      List<String> values = all(name);
      return values.isEmpty() ? null : values.getFirst();
    }

    @Override
    public List<String> all(String name) {
      JsonNode node = body.get(name);
      if (node == null || node.isNull()) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      for (JsonNode value : node.isArray() ? node : List.of(node)) {
        if (!value.isValueNode() || value.isNull()) {
          throw ApiErrors.invalidParameter(
              name, "field '" + name + "' must be a string or a number, or an array of them");
        }
        out.add(value.asText());
      }
      return out;
    }
  }
}
