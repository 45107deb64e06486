package dev.clipsearch.searcher.service;

import java.util.List;

/**
 * The result of a zero-shot classification.
 *
 * @param labels one score per label, in the order the labels were given; probabilities sum to 1
 * @param best the label with the highest probability (the first one on a tie)
 * @param timings where the time went ({@code searchMs} is 0: no index is involved)
 */
public record Classification(List<LabelScore> labels, String best, Timings timings) {

  public Classification {
    labels = List.copyOf(labels);
  }
}
