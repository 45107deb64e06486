package dev.clipsearch.searcher.service;

import java.util.Objects;

/**
 * "More like this": products whose images are closest to a given product's images, the product
 * itself excluded.
 *
 * @param productId the product to start from
 * @param options filters, paging, cut-off
 */
public record SimilarSearch(String productId, SearchOptions options) {

  public SimilarSearch {
    Objects.requireNonNull(productId, "productId");
    Objects.requireNonNull(options, "options");
  }
}
