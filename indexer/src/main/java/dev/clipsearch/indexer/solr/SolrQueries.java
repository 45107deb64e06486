package dev.clipsearch.indexer.solr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.indexer.index.IndexSchema;
import dev.clipsearch.indexer.store.ProductFilter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Solr query strings for what the store seam asks: a {@link ProductFilter} as filter queries on
 * product documents (the embedded index's {@code IndexQueries}, in Solr's syntax), and lookups by
 * id. Values are never parsed by a query parser: they go verbatim after a {@code {!term}} or {@code
 * {!terms}} local-params prefix, so any brand, tag, category or id is safe.
 */
final class SolrQueries {

  private SolrQueries() {}

  /** The product document of {@code id} with fields {@code fl}, or null when there is none. */
  static JsonNode product(SolrCloudClient client, String collection, String id, String fl)
      throws SolrException {
    JsonNode docs =
        client
            .select(
                collection,
                List.of(
                    Map.entry("q", term(IndexSchema.ID, id)),
                    Map.entry("fq", PRODUCTS),
                    Map.entry("fl", fl),
                    Map.entry("rows", "1")))
            .path("response")
            .path("docs");
    return docs.isEmpty() ? null : docs.get(0);
  }

  /** Separates the values of a {@code {!terms}} query: no catalog value holds it. */
  private static final String SEPARATOR = String.valueOf(SolrDocuments.IMAGE_ID_SEPARATOR);

  /** Matches every product document (and no image or run document). */
  static final String PRODUCTS = IndexSchema.KIND + ":" + IndexSchema.KIND_PRODUCT;

  /** One term of one field, verbatim. */
  static String term(String field, String value) {
    return "{!term f=" + field + "}" + value;
  }

  /** Any of several terms of one field, verbatim; {@code values} must not be empty. */
  static String anyOf(String field, Collection<String> values) {
    for (String value : values) {
      if (value.contains(SEPARATOR)) {
        throw new IllegalArgumentException(
            field + " value '" + value + "' holds the control character U+001F");
      }
    }
    return "{!terms f="
        + field
        + " separator=\""
        + SEPARATOR
        + "\"}"
        + String.join(SEPARATOR, values);
  }

  /** The product documents of these ids. */
  static String productIds(Collection<String> ids) {
    return anyOf(IndexSchema.ID, ids);
  }

  /**
   * The filter as Solr filter queries on product documents, each one condition (they combine with
   * AND); empty for {@link ProductFilter#NONE}.
   */
  static List<String> filters(ProductFilter filter) {
    List<String> fqs = new ArrayList<>();
    if (filter.categoryPrefix() != null) {
      List<String> ancestors = Product.ancestorsOf(filter.categoryPrefix());
      fqs.add(
          ancestors.isEmpty()
              ? NOTHING
              : term(IndexSchema.CATEGORY_PATH, ancestors.get(ancestors.size() - 1)));
    }
    if (!filter.brands().isEmpty()) {
      fqs.add(anyOf(IndexSchema.BRAND, filter.brands()));
    }
    if (filter.priceMin() != null || filter.priceMax() != null) {
      fqs.add(
          IndexSchema.PRICE
              + ":["
              + bound(filter.priceMin())
              + " TO "
              + bound(filter.priceMax())
              + "]");
    }
    if (!filter.tags().isEmpty()) {
      fqs.add(anyOf(IndexSchema.TAGS, filter.tags()));
    }
    filter
        .attributes()
        .forEach((name, values) -> fqs.add(anyOf(IndexSchema.attributeField(name), values)));
    if (filter.excludedProductId() != null) {
      // A query of its own (not a bare negation), so that it also works as a knn pre-filter.
      fqs.add(
          "{!bool filter="
              + PRODUCTS
              + " must_not="
              + quoteLocalParam(term(IndexSchema.ID, filter.excludedProductId()))
              + "}");
    }
    return fqs;
  }

  /** Matches no document (a category filter with no level). */
  static final String NOTHING = term(IndexSchema.KIND, "none");

  /** A local-params value, single-quoted with backslash escapes. */
  static String quoteLocalParam(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static String bound(Double value) {
    if (value == null) {
      return "*";
    }
    if (value.isNaN()) {
      throw new IllegalArgumentException("price bound is NaN");
    }
    return value.isInfinite() ? "*" : Double.toString(value);
  }
}
