package dev.clipsearch.indexer.store;

import java.util.Objects;

/**
 * One image of a product as the index stores it.
 *
 * @param index position in the product's {@code images} list, from 0
 * @param source the reference as written in the catalog
 * @param fingerprint the cheap identity the bytes had when read (see the fetch stage)
 * @param sha256 hex SHA-256 of the image file's bytes
 * @param vector the model's L2-normalized embedding
 * @param width decoded width in pixels
 * @param height decoded height in pixels
 * @param thumbnail JPEG bytes, or null when thumbnails are off
 */
public record IndexedImage(
    int index,
    String source,
    String fingerprint,
    String sha256,
    float[] vector,
    int width,
    int height,
    byte[] thumbnail) {

  public IndexedImage {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(vector, "vector");
  }
}
