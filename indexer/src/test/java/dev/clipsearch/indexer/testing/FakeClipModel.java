package dev.clipsearch.indexer.testing;

import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.image.PreprocessConfig;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deterministic stand-in for a CLIP model in unit tests: an image vector is a fixed random
 * projection of its pixel tensor, normalized, so equal images give equal vectors and similar images
 * similar ones. Counts its calls, and can be told to fail or to be slow.
 */
public final class FakeClipModel implements ClipModel {

  /** A small input size keeps the tests fast. */
  public static final PreprocessConfig PREPROCESS =
      new PreprocessConfig(16, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f});

  private final ModelSpec spec;
  private final float[][] projection;
  private final AtomicLong imagesEncoded = new AtomicLong();
  private final AtomicInteger batches = new AtomicInteger();
  private volatile int failOnBatch = -1;
  private volatile boolean failAlways;
  private volatile long delayMillisPerBatch;

  public FakeClipModel(String id, int dimension) {
    this.spec = new ModelSpec(id, dimension, 77, PREPROCESS, 100f);
    Random random = new Random(id.hashCode());
    this.projection = new float[dimension][PREPROCESS.tensorLength()];
    for (float[] row : projection) {
      for (int i = 0; i < row.length; i++) {
        row[i] = (float) random.nextGaussian();
      }
    }
  }

  public FakeClipModel() {
    this("fake-clip", 16);
  }

  /** Makes the n-th batch (from 1) throw. */
  public FakeClipModel failOnBatch(int n) {
    this.failOnBatch = n;
    return this;
  }

  /** Makes every batch throw. */
  public FakeClipModel failAlways() {
    this.failAlways = true;
    return this;
  }

  /** Sleeps this long in every image batch (for tests that kill a run half way). */
  public FakeClipModel delayPerBatch(long millis) {
    this.delayMillisPerBatch = millis;
    return this;
  }

  public long imagesEncoded() {
    return imagesEncoded.get();
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public float[][] encodeTexts(List<String> texts) {
    float[][] out = new float[texts.size()][];
    for (int i = 0; i < out.length; i++) {
      Random random = new Random(texts.get(i).hashCode());
      float[] v = new float[spec.dimension()];
      for (int d = 0; d < v.length; d++) {
        v[d] = (float) random.nextGaussian();
      }
      out[i] = normalize(v);
    }
    return out;
  }

  @Override
  public float[][] encodeImages(List<float[]> pixelTensors) {
    int batch = batches.incrementAndGet();
    if (failAlways) {
      throw new IllegalStateException("GPU on fire");
    }
    if (batch == failOnBatch) {
      throw new IllegalStateException("injected failure on batch " + batch);
    }
    if (delayMillisPerBatch > 0) {
      try {
        Thread.sleep(delayMillisPerBatch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    float[][] out = new float[pixelTensors.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = embed(pixelTensors.get(i));
    }
    imagesEncoded.addAndGet(out.length);
    return out;
  }

  /** The vector this model gives a tensor. */
  public float[] embed(float[] tensor) {
    if (tensor.length != PREPROCESS.tensorLength()) {
      throw new IllegalArgumentException(
          "expected a tensor of " + PREPROCESS.tensorLength() + " floats, got " + tensor.length);
    }
    float[] v = new float[spec.dimension()];
    for (int d = 0; d < v.length; d++) {
      float[] row = projection[d];
      double sum = 0;
      for (int j = 0; j < tensor.length; j++) {
        sum += row[j] * tensor[j];
      }
      v[d] = (float) sum;
    }
    return normalize(v);
  }

  private static float[] normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += x * x;
    }
    float norm = (float) Math.sqrt(sum);
    if (norm == 0) {
      v[0] = 1;
      return v;
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= norm;
    }
    return v;
  }

  @Override
  public void close() {}
}
