package dev.clipsearch.models;

import java.util.Locale;

/**
 * How a model turns the cosine similarities of one image with several texts into zero-shot scores,
 * as the model was trained: CLIP's softmax over {@code scale * cos} (the scores sum to 1), or
 * SigLIP's independent sigmoid of {@code scale * cos + bias} per text (they do not). When a sigmoid
 * model's directory does not state its scale and bias, the scores are the cosines themselves
 * ({@link Kind#COSINE}): the same order as the sigmoid's, but no probabilities.
 *
 * @param kind the function
 * @param scale the multiplier of the cosine (CLIP's and SigLIP's exp of the learned logit scale); 1
 *     for {@link Kind#COSINE}
 * @param bias SigLIP's learned logit bias; 0 otherwise
 */
public record ScoreFunction(Kind kind, float scale, float bias) {

  /** The functions models are trained with. */
  public enum Kind {
    /** CLIP: softmax over the labels of {@code scale * cos}. */
    SOFTMAX,
    /** SigLIP: {@code sigmoid(scale * cos + bias)} per label, independent of the others. */
    SIGMOID,
    /** The cosine itself, when a sigmoid model's scale and bias are unknown. */
    COSINE;

    /** The name the HTTP API reports: softmax, sigmoid or cosine. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ScoreFunction {
    java.util.Objects.requireNonNull(kind, "kind");
    if (!(scale > 0) || !Float.isFinite(scale) || !Float.isFinite(bias)) {
      throw new IllegalArgumentException(
          "score scale must be positive and finite, bias finite; got " + scale + ", " + bias);
    }
  }

  /** CLIP's softmax with the given temperature. */
  public static ScoreFunction softmax(float scale) {
    return new ScoreFunction(Kind.SOFTMAX, scale, 0f);
  }

  /** SigLIP's sigmoid with its learned scale (already exponentiated) and bias. */
  public static ScoreFunction sigmoid(float scale, float bias) {
    return new ScoreFunction(Kind.SIGMOID, scale, bias);
  }

  /** Plain cosines, for a sigmoid model whose scale and bias are not known. */
  public static ScoreFunction cosine() {
    return new ScoreFunction(Kind.COSINE, 1f, 0f);
  }

  /** Whether the scores are probabilities (softmax: summing to 1; sigmoid: each in [0, 1]). */
  public boolean probabilities() {
    return kind != Kind.COSINE;
  }

  /** The scores of one image against each label, from their cosine similarities, in order. */
  public double[] scores(double[] cosines) {
    double[] out = new double[cosines.length];
    switch (kind) {
      case SOFTMAX -> {
        double max = Double.NEGATIVE_INFINITY;
        for (double c : cosines) {
          max = Math.max(max, scale * c);
        }
        double sum = 0;
        for (int i = 0; i < out.length; i++) {
          out[i] = Math.exp(scale * cosines[i] - max);
          sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
          out[i] /= sum;
        }
      }
      case SIGMOID -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = 1.0 / (1.0 + Math.exp(-(scale * cosines[i] + bias)));
        }
      }
      case COSINE -> System.arraycopy(cosines, 0, out, 0, out.length);
    }
    return out;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case SOFTMAX -> String.format(Locale.ROOT, "softmax(%.4g * cos)", scale);
      case SIGMOID -> String.format(Locale.ROOT, "sigmoid(%.4g * cos %+.4g)", scale, bias);
      case COSINE -> "cosine (scale and bias unknown)";
    };
  }
}
