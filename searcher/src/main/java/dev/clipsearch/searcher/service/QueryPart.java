package dev.clipsearch.searcher.service;

import java.util.Objects;

/**
 * One weighted part of a {@link ComposedSearch}: a text, a stored product or an example image. Its
 * unit-length embedding counts {@code weight} times in the query vector; a negative weight pushes
 * the ranking away from it ("not leather").
 */
public sealed interface QueryPart {

  /** Smallest and largest accepted weight. */
  double MIN_WEIGHT = -1.0;

  double MAX_WEIGHT = 1.0;

  /** How much the part counts, finite, in [{@value #MIN_WEIGHT}, {@value #MAX_WEIGHT}]. */
  double weight();

  /** Words, encoded by the text tower; a positive text also feeds BM25 in hybrid mode. */
  record Text(String text, double weight) implements QueryPart {
    public Text {
      Objects.requireNonNull(text, "text");
      if (text.isBlank()) {
        throw new IllegalArgumentException("text must not be blank");
      }
      checkWeight(weight);
    }
  }

  /**
   * A stored product, by id: the normalized mean of its stored image vectors (no encoding). The
   * product itself is never a hit of the search.
   */
  record Product(String productId, double weight) implements QueryPart {
    public Product {
      Objects.requireNonNull(productId, "productId");
      if (productId.isBlank()) {
        throw new IllegalArgumentException("productId must not be blank");
      }
      checkWeight(weight);
    }
  }

  /** An encoded image file (JPEG, PNG, WebP, ...), decoded and encoded by the image tower. */
  record Image(byte[] image, double weight) implements QueryPart {
    public Image {
      Objects.requireNonNull(image, "image");
      checkWeight(weight);
    }
  }

  private static void checkWeight(double weight) {
    if (!Double.isFinite(weight) || weight < MIN_WEIGHT || weight > MAX_WEIGHT) {
      throw new IllegalArgumentException(
          "weight must be a finite number in ["
              + MIN_WEIGHT
              + ", "
              + MAX_WEIGHT
              + "], got "
              + weight);
    }
  }
}
