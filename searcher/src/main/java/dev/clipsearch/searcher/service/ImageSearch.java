package dev.clipsearch.searcher.service;

import java.util.Objects;

/**
 * A search by example image.
 *
 * @param image the encoded image file as uploaded (JPEG, PNG, WebP, ...)
 * @param options filters, paging, cut-off
 */
public record ImageSearch(byte[] image, SearchOptions options) {

  public ImageSearch {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(options, "options");
  }
}
