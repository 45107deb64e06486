package dev.clipsearch.searcher.service;

import java.util.List;
import java.util.Map;

/**
 * The descriptive fields of a product sent through the admin API, as in a catalog line.
 *
 * @param title title, or {@code null}
 * @param description description, or {@code null}
 * @param brand brand, or {@code null}
 * @param category category path such as {@code Clothing > Shoes}, or {@code null}
 * @param price price, or {@code null}
 * @param currency ISO currency code, or {@code null}
 * @param tags tags, possibly empty
 * @param url the product's page in the shop, or {@code null}
 * @param attributes free attributes kept for display
 * @param facetAttributes zero-shot attribute values ({@code color -> red}) to store with the
 *     product, replacing those it has ({@code {}} removes them); {@code null} keeps the values the
 *     stored product has, so that an edit does not drop what {@code clipsearch tag} computed
 */
public record ProductFields(
    String title,
    String description,
    String brand,
    String category,
    Double price,
    String currency,
    List<String> tags,
    String url,
    Map<String, Object> attributes,
    Map<String, String> facetAttributes) {

  /** Fields that keep the stored product's zero-shot attributes. */
  public ProductFields(
      String title,
      String description,
      String brand,
      String category,
      Double price,
      String currency,
      List<String> tags,
      String url,
      Map<String, Object> attributes) {
    this(title, description, brand, category, price, currency, tags, url, attributes, null);
  }

  public ProductFields {
    tags = tags == null ? List.of() : List.copyOf(tags);
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    facetAttributes = facetAttributes == null ? null : Map.copyOf(facetAttributes);
  }
}
