package dev.clipsearch.indexer.store;

/**
 * One stored image of a product.
 *
 * @param index the image's position in the product's catalog {@code images} list, from 0 (images
 *     that failed at indexing are absent, so indexes may have gaps)
 * @param source the image reference as stored (a path or URL from the catalog, or {@code upload:}
 *     and the SHA-256 of the bytes for admin uploads)
 * @param handle the store's reference to the image, for {@link StoreView#thumbnail}; valid only in
 *     the view that returned it
 */
public record ImageRecord(int index, String source, long handle) {}
