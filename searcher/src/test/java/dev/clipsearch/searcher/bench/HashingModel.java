package dev.clipsearch.searcher.bench;

import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ModelSpec;
import java.util.Arrays;
import java.util.List;

/**
 * A model stand-in for load tests where the model is not the subject: each text or image tensor
 * maps to a seeded random unit vector of the real dimension (from its hash), at almost no cost.
 * With centres, the vector is one of them (picked by the hash) plus noise of the same spread as
 * {@link RandomVectors#clustered}, so queries land among an index built from those centres.
 */
final class HashingModel implements ClipModel {

  /** The seed of the centres an index and its queries share. */
  static final long CENTRE_SEED = 44;

  private final ModelSpec spec;
  private final float[][] centres;

  HashingModel(ModelSpec spec) {
    this(spec, 0);
  }

  /** With {@code clusters} > 0, queries near {@code clusters} centres drawn from the seed above. */
  HashingModel(ModelSpec spec, int clusters) {
    this.spec = spec;
    this.centres =
        clusters == 0 ? null : RandomVectors.generate(clusters, spec.dimension(), CENTRE_SEED);
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
    float[] noise = RandomVectors.generate(1, spec.dimension(), seed)[0];
    if (centres == null) {
      return noise;
    }
    float[] centre = centres[Math.floorMod(seed, centres.length)];
    float[] v = new float[noise.length];
    double norm = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = centre[i] + noise[i];
      norm += v[i] * v[i];
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < v.length; i++) {
      v[i] *= scale;
    }
    return v;
  }

  @Override
  public void close() {}
}
