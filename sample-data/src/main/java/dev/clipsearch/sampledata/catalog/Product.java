package dev.clipsearch.sampledata.catalog;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One product of the sample catalog, as written to a line of {@code catalog.jsonl}.
 *
 * @param id stable slug of the emoji's name ({@code red-apple})
 * @param title display name ({@code Red Apple})
 * @param description a sentence built from the name, brand, category and keywords
 * @param brand an invented brand
 * @param category shop category path ({@code Food & Drink > Fruit})
 * @param price price in {@code currency}, two decimals
 * @param currency ISO 4217 code
 * @param tags keywords
 * @param images image paths relative to the catalog file, the primary image first
 * @param attributes free attributes kept for display ({@code emoji})
 */
public record Product(
    String id,
    String title,
    String description,
    String brand,
    String category,
    BigDecimal price,
    String currency,
    List<String> tags,
    List<String> images,
    Map<String, String> attributes) {

  public Product {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(price, "price");
    tags = List.copyOf(tags);
    images = List.copyOf(images);
    attributes = Map.copyOf(attributes);
    if (images.isEmpty()) {
      throw new IllegalArgumentException("product " + id + " has no image");
    }
  }
}
