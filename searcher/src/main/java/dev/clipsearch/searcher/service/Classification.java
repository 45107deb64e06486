package dev.clipsearch.searcher.service;

import java.util.List;

/**
 * The result of a zero-shot classification.
 *
 * @param labels one score per label, in the order the labels were given
 * @param best the label with the highest score (the first one on a tie)
 * @param timings where the time went ({@code searchMs} is 0: no index is involved)
 * @param scoreFunction how the scores were made, as the model was trained: {@code softmax} (CLIP:
 *     probabilities over the labels, summing to 1), {@code sigmoid} (SigLIP: one independent
 *     probability per label, no sum), or {@code cosine} (SigLIP without its scale and bias: the
 *     labels' cosine similarities, in the sigmoid's order, no probabilities)
 */
public record Classification(
    List<LabelScore> labels, String best, Timings timings, String scoreFunction) {

  /** A softmax classification (CLIP). */
  public Classification(List<LabelScore> labels, String best, Timings timings) {
    this(labels, best, timings, "softmax");
  }

  public Classification {
    labels = List.copyOf(labels);
  }
}
