package dev.clipsearch.searcher.service;

/**
 * One label's result in a zero-shot classification.
 *
 * @param label the label as given
 * @param prompt the text that was encoded
 * @param probability softmax probability over all labels of the request
 * @param similarity cosine similarity between the image and the prompt
 */
public record LabelScore(String label, String prompt, double probability, double similarity) {}
