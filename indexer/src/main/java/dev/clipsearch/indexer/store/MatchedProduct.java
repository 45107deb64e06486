package dev.clipsearch.indexer.store;

/**
 * What a result page shows of a {@link ProductMatch}: the stored product and the image that
 * matched.
 *
 * @param match the match it was loaded for
 * @param json the product's display fields as JSON: its summary ({@code ProductJson.summaryJson}:
 *     id, title, price, currency, category, brand), or the whole canonical product JSON that was
 *     indexed (stores that keep no summary); {@code ProductJson.summary} reads either
 * @param matchedImage the catalog index (from 0) of the best-matching image, or null when the match
 *     compared no image
 */
public record MatchedProduct(ProductMatch match, String json, Integer matchedImage) {}
