package dev.clipsearch.models.text;

/**
 * Turns text into the token ids a text tower receives. Implementations are immutable and
 * thread-safe.
 */
public interface TextTokenizer {

  /**
   * Tokenizes one text: the start (or CLS) token, the text's tokens, the end (or SEP) token, no
   * padding (SigLIP's Unigram tokenizer has no start token: the text's tokens, then {@code </s>}).
   * A text longer than {@code maxLength} ids is truncated so that the result holds exactly {@code
   * maxLength} ids and still ends with the end token.
   */
  int[] encode(String text, int maxLength);

  /** The id used to pad a batch to a common length. */
  int padId();
}
