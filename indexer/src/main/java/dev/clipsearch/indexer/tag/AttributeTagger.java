package dev.clipsearch.indexer.tag;

import dev.clipsearch.models.ClipModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses a product's attribute values zero-shot from its stored image vectors. For each attribute
 * and each image: the softmax, with the model's logit scale, of the image's cosine to each value's
 * prompt; the product takes, per attribute, the value of the image that is most confident about it.
 * The value is kept only when its probability is at least the floor and exceeds the runner-up's by
 * at least the margin; otherwise the attribute stays unset (a wrong facet value is worse than a
 * missing one).
 *
 * <p>The prompts are encoded once, when the tagger is built; tagging itself is arithmetic on
 * vectors and never calls the image tower. Thread-safe after construction.
 */
public final class AttributeTagger {

  /**
   * The default floor: the value must be more likely than all the other values together, so with
   * two values it is the better one and with ten it is a clear majority.
   */
  public static final double DEFAULT_MIN_CONFIDENCE = 0.5;

  /**
   * The default margin: the value must beat the runner-up by 0.2 in probability, so a coin flip
   * between two close values (0.55 against 0.45) is left out.
   */
  public static final double DEFAULT_MIN_MARGIN = 0.2;

  private final List<AttributeSpec> attributes;
  private final List<float[][]> promptVectors;
  private final double logitScale;
  private final double minConfidence;
  private final double minMargin;

  /**
   * The best value of one attribute for one product, kept or not.
   *
   * @param value the most probable value of the most confident image
   * @param probability its softmax probability in that image
   * @param margin its probability minus the runner-up's in that image
   * @param kept whether it clears the floor and the margin
   */
  public record Choice(String value, double probability, double margin, boolean kept) {}

  /**
   * Encodes every prompt of {@code file} with {@code model}'s text tower (one call).
   *
   * @param minConfidence the floor, in [0, 1]
   * @param minMargin the margin over the runner-up, in [0, 1]
   */
  public AttributeTagger(
      AttributeFile file, ClipModel model, double minConfidence, double minMargin) {
    if (!(minConfidence >= 0 && minConfidence <= 1)) {
      throw new IllegalArgumentException("min confidence must be in [0, 1], got " + minConfidence);
    }
    if (!(minMargin >= 0 && minMargin <= 1)) {
      throw new IllegalArgumentException("min margin must be in [0, 1], got " + minMargin);
    }
    this.attributes = file.attributes();
    this.logitScale = model.spec().logitScale();
    this.minConfidence = minConfidence;
    this.minMargin = minMargin;
    List<String> prompts = new ArrayList<>();
    for (AttributeSpec spec : attributes) {
      prompts.addAll(spec.prompts());
    }
    float[][] encoded = model.encodeTexts(prompts);
    if (encoded.length != prompts.size()) {
      throw new IllegalStateException(
          "model " + model.id() + " returned " + encoded.length + " vectors for " + prompts.size());
    }
    this.promptVectors = new ArrayList<>();
    int at = 0;
    for (AttributeSpec spec : attributes) {
      float[][] vectors = new float[spec.values().size()][];
      for (int i = 0; i < vectors.length; i++) {
        vectors[i] = encoded[at++];
      }
      promptVectors.add(vectors);
    }
  }

  /** The attributes this tagger assigns, in file order. */
  public List<AttributeSpec> attributes() {
    return attributes;
  }

  /**
   * The best value of every attribute over {@code imageVectors} (unit vectors of the model's
   * dimension), kept or not, by attribute name in file order; empty when there is no image.
   */
  public Map<String, Choice> choose(List<float[]> imageVectors) {
    Map<String, Choice> out = new LinkedHashMap<>();
    if (imageVectors.isEmpty()) {
      return out;
    }
    for (int a = 0; a < attributes.size(); a++) {
      AttributeSpec spec = attributes.get(a);
      float[][] prompts = promptVectors.get(a);
      int bestValue = -1;
      double bestP = -1;
      double bestMargin = 0;
      for (float[] image : imageVectors) {
        double[] p = softmax(image, prompts);
        int top = 0;
        for (int i = 1; i < p.length; i++) {
          if (p[i] > p[top]) {
            top = i;
          }
        }
        double second = 0;
        for (int i = 0; i < p.length; i++) {
          if (i != top) {
            second = Math.max(second, p[i]);
          }
        }
        if (p[top] > bestP) {
          bestP = p[top];
          bestValue = top;
          bestMargin = p[top] - second;
        }
      }
      boolean kept = bestP >= minConfidence && bestMargin >= minMargin;
      out.put(spec.name(), new Choice(spec.values().get(bestValue), bestP, bestMargin, kept));
    }
    return out;
  }

  /** The kept values of {@link #choose}, by attribute name: what the product is tagged with. */
  public Map<String, String> tag(List<float[]> imageVectors) {
    Map<String, String> out = new LinkedHashMap<>();
    choose(imageVectors)
        .forEach(
            (name, choice) -> {
              if (choice.kept()) {
                out.put(name, choice.value());
              }
            });
    return out;
  }

  private double[] softmax(float[] image, float[][] prompts) {
    double[] logits = new double[prompts.length];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < prompts.length; i++) {
      float[] prompt = prompts[i];
      if (prompt.length != image.length) {
        throw new IllegalArgumentException(
            "image vector has " + image.length + " dimensions, the prompts " + prompt.length);
      }
      double dot = 0;
      for (int d = 0; d < image.length; d++) {
        dot += image[d] * prompt[d];
      }
      logits[i] = logitScale * dot;
      max = Math.max(max, logits[i]);
    }
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      logits[i] = Math.exp(logits[i] - max);
      sum += logits[i];
    }
    for (int i = 0; i < logits.length; i++) {
      logits[i] /= sum;
    }
    return logits;
  }
}
