package dev.clipsearch.common.catalog;

import java.math.BigDecimal;

/**
 * The fields a result list shows of a product, read by {@link ProductJson#summary} without the rest
 * of the record (description, tags, attributes): what a search reads for every hit.
 *
 * @param id the product id
 * @param title the title, or null
 * @param price the price, or null
 * @param currency the currency, or null
 * @param category the category path, or null
 * @param brand the brand, or null
 */
public record ProductSummary(
    String id, String title, BigDecimal price, String currency, String category, String brand) {

  /** The price as a double, or null when there is none. */
  public Double priceAsDouble() {
    return price == null ? null : price.doubleValue();
  }
}
