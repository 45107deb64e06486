package dev.clipsearch.searcher.service;

/**
 * One image of a product, as the index knows it.
 *
 * @param index position in the product's image list, from 0
 * @param source where the image came from (a catalog path or URL), or {@code null} when it was
 *     uploaded through the admin API
 * @param originalAvailable whether the original file can be served (a readable local file)
 */
public record ProductImage(int index, String source, boolean originalAvailable) {}
