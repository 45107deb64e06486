package dev.clipsearch.searcher.classify;

import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.ScoreFunction;
import dev.clipsearch.searcher.encode.ImageEmbedding;
import dev.clipsearch.searcher.encode.QueryEncoder;
import dev.clipsearch.searcher.service.Classification;
import dev.clipsearch.searcher.service.ClassifyRequest;
import dev.clipsearch.searcher.service.LabelScore;
import dev.clipsearch.searcher.service.Timings;
import java.util.ArrayList;
import java.util.List;

/**
 * Zero-shot classification: the image and one prompt per label are encoded, and the labels' scores
 * come from their cosine similarities by the model's own score function ({@link
 * ModelSpec#scores()}): CLIP's softmax of the similarities times its logit scale (its learned
 * temperature), or SigLIP's sigmoid of {@code scale * cos + bias} per label. Needs no index.
 * Thread-safe.
 */
public final class ZeroShotClassifier {

  /** CLIP's temperature when a model does not state one. */
  static final double DEFAULT_LOGIT_SCALE = 100.0;

  private final QueryEncoder encoder;

  public ZeroShotClassifier(QueryEncoder encoder) {
    this.encoder = encoder;
  }

  public Classification classify(ClassifyRequest request) {
    long start = System.nanoTime();
    ImageEmbedding image = encoder.encodeQueryImage(request.image());
    List<String> prompts = request.labels().stream().map(request::prompt).toList();
    List<float[]> texts = encoder.encodeTexts(prompts);
    double[] similarity = new double[texts.size()];
    for (int i = 0; i < similarity.length; i++) {
      similarity[i] = dot(image.vector(), texts.get(i));
    }
    ScoreFunction function = scoreFunction(encoder.spec());
    double[] weights = function.scores(similarity);
    List<LabelScore> scores = new ArrayList<>(weights.length);
    int best = 0;
    for (int i = 0; i < weights.length; i++) {
      scores.add(
          new LabelScore(
              request.labels().get(i),
              prompts.get(i),
              function.probabilities() ? weights[i] : null,
              similarity[i],
              weights[i]));
      if (weights[i] > weights[best]) {
        best = i;
      }
    }
    double total = (System.nanoTime() - start) / 1e6;
    return new Classification(
        scores, request.labels().get(best), new Timings(total, 0, total), function.kind().label());
  }

  /**
   * The model's score function; a softmax model gets its logit scale through {@link #logitScale},
   * so that a spec without a usable one falls back to CLIP's 100 as before.
   */
  static ScoreFunction scoreFunction(ModelSpec spec) {
    ScoreFunction function = spec.scores();
    return function.kind() == ScoreFunction.Kind.SOFTMAX
        ? ScoreFunction.softmax((float) logitScale(spec))
        : function;
  }

  /** The model's logit scale (its learned temperature), or CLIP's 100 when it states none. */
  public static double logitScale(ModelSpec spec) {
    double scale = spec.logitScale();
    return scale > 0 && Double.isFinite(scale) ? scale : DEFAULT_LOGIT_SCALE;
  }

  /**
   * The labels' probabilities from their cosine similarities: the softmax of {@code similarity}
   * times {@code logitScale}, shifted by the largest logit so that nothing overflows. Shared with
   * callers that already hold the image vector (the catalog audit scores stored vectors).
   */
  public static double[] probabilities(double[] similarity, double logitScale) {
    double maxLogit = Double.NEGATIVE_INFINITY;
    for (double s : similarity) {
      maxLogit = Math.max(maxLogit, logitScale * s);
    }
    double[] weights = new double[similarity.length];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      weights[i] = Math.exp(logitScale * similarity[i] - maxLogit);
      sum += weights[i];
    }
    for (int i = 0; i < weights.length; i++) {
      weights[i] /= sum;
    }
    return weights;
  }

  /** The dot product of two vectors: their cosine when both are unit length. */
  public static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }
}
