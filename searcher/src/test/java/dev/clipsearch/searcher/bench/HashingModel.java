package dev.clipsearch.searcher.bench;

import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ModelSpec;
import java.util.Arrays;
import java.util.List;

/**
 * A model stand-in for load tests where the model is not the subject: each text or image tensor
 * maps to a seeded random unit vector of the real dimension (from its hash), at almost no cost.
 */
final class HashingModel implements ClipModel {

  private final ModelSpec spec;

  HashingModel(ModelSpec spec) {
    this.spec = spec;
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public float[][] encodeTexts(List<String> texts) {
    return texts.stream().map(t -> vector(t.hashCode())).toArray(float[][]::new);
  }

  @Override
  public float[][] encodeImages(List<float[]> pixelTensors) {
    return pixelTensors.stream().map(t -> vector(Arrays.hashCode(t))).toArray(float[][]::new);
  }

  private float[] vector(long seed) {
    return RandomVectors.generate(1, spec.dimension(), seed)[0];
  }

  @Override
  public void close() {}
}
