package dev.clipsearch.searcher.service;

/**
 * One label's result in a zero-shot classification.
 *
 * @param label the label as given
 * @param prompt the text that was encoded
 * @param probability the label's probability: the softmax over all labels of the request (CLIP), or
 *     the label's own sigmoid (SigLIP, independent of the other labels); null when the model's
 *     scores are no probabilities (a SigLIP model whose scale and bias are unknown; the reply then
 *     has no {@code probability})
 * @param similarity cosine similarity between the image and the prompt
 * @param score what the labels are ranked by: the probability, or the cosine when there is none
 */
public record LabelScore(
    String label, String prompt, Double probability, double similarity, double score) {

  /** A label scored by a probability. */
  public LabelScore(String label, String prompt, double probability, double similarity) {
    this(label, prompt, probability, similarity, probability);
  }
}
