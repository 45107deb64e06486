package dev.clipsearch.searcher.service;

/**
 * One product in a result list.
 *
 * @param id product id
 * @param title display title, or {@code null}
 * @param price price, or {@code null}
 * @param currency ISO currency code, or {@code null}
 * @param category category path, or {@code null}
 * @param brand brand, or {@code null}
 * @param score cosine similarity between the query and the best-matching image (in {@code [-1,
 *     1]}); for {@link SearchMode#LEXICAL} searches, the BM25 score
 * @param matchedImage index (0-based, in the product's image list) of the image that matched best,
 *     or {@code null} when no image was compared (lexical search)
 */
public record Hit(
    String id,
    String title,
    Double price,
    String currency,
    String category,
    String brand,
    double score,
    Integer matchedImage) {}
