package dev.clipsearch.models.hub;

import java.util.List;
import java.util.Objects;

/**
 * What a shop needs to know to choose a known model, shown by {@code clipsearch models list
 * --known}: the embedding dimension, the query languages, and what the model is good for. Facts
 * come from the model's own card or paper; {@link #UNKNOWN} when none were recorded.
 *
 * @param dimension the embeddings' dimension, or 0 when not recorded
 * @param languages the languages text queries may be in (ISO 639-1 codes, or a phrase such as "50+
 *     languages"); empty when not recorded
 * @param goodFor one line: strengths, costs and the source of any quality figure
 */
public record ModelFacts(int dimension, List<String> languages, String goodFor) {

  /** No facts recorded. */
  public static final ModelFacts UNKNOWN = new ModelFacts(0, List.of(), "");

  public ModelFacts {
    if (dimension < 0) {
      throw new IllegalArgumentException("dimension must not be negative, got " + dimension);
    }
    languages = List.copyOf(languages);
    Objects.requireNonNull(goodFor, "goodFor");
  }
}
