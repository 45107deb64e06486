package dev.clipsearch.models.detect;

import dev.clipsearch.models.text.TextTokenizer;
import java.util.List;
import java.util.Objects;

/**
 * OWL-ViT's text queries as the model receives them: each label tokenized with CLIP's BPE (start
 * and end tokens included), padded to the query length with the pad id, with an attention mask of 1
 * for real tokens and 0 for padding. A label longer than the query length is cut so that it still
 * ends with the end token (the reference processor would fail to batch it).
 *
 * @param inputIds {@code count * length} ids, row-major
 * @param attentionMask {@code count * length} values, 1 or 0
 * @param count the number of queries
 * @param length ids per query
 */
public record OwlVitQueries(long[] inputIds, long[] attentionMask, int count, int length) {

  /** Tokenizes {@code labels} for a model with the given query length and pad id. */
  public static OwlVitQueries encode(
      TextTokenizer tokenizer, List<String> labels, int length, int padId) {
    Objects.requireNonNull(tokenizer, "tokenizer");
    long[] ids = new long[labels.size() * length];
    long[] mask = new long[ids.length];
    java.util.Arrays.fill(ids, padId);
    for (int q = 0; q < labels.size(); q++) {
      int[] tokens = tokenizer.encode(labels.get(q), length);
      for (int i = 0; i < tokens.length; i++) {
        ids[q * length + i] = tokens[i];
        mask[q * length + i] = 1;
      }
    }
    return new OwlVitQueries(ids, mask, labels.size(), length);
  }

  /**
   * Which queries the model masks: those whose first id is the pad id (OWL-ViT's {@code query_mask
   * = input_ids[..., 0] > 0}, with pad id 0).
   */
  public boolean[] padded(int padId) {
    boolean[] padded = new boolean[count];
    for (int q = 0; q < count; q++) {
      padded[q] = inputIds[q * length] == padId;
    }
    return padded;
  }
}
