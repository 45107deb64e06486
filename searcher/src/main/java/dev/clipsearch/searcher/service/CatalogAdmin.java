package dev.clipsearch.searcher.service;

/**
 * Changes to the live index, for the admin API. Changes are visible to searches within a second
 * (near-real-time reader reopen). Implementations are thread-safe.
 */
public interface CatalogAdmin {

  /**
   * Inserts or replaces a product. Its images are decoded and encoded by the model; an image that
   * cannot be used fails the whole upsert and leaves the index unchanged.
   */
  UpsertResult upsert(ProductUpload upload);

  /** Deletes a product; returns {@code false} if there was none with this id. */
  boolean delete(String id);
}
