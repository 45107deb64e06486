package dev.clipsearch.searcher.testing;

import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.image.PreprocessConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic stand-in for a CLIP model whose geometry tests can reason about: every colour
 * (quantized) and every word has its own seeded random direction. An image's vector is its mean
 * colour's direction; a text's vector is the sum of its words' directions, where a colour name
 * ("red") is the colour's own direction. So "red shoe" is closest to red images, and two images of
 * one colour are exactly as close to any query (ties).
 *
 * <p>It can also hold every encoding at a gate, to fill the server's inference queue on purpose.
 */
public final class FakeClipModel implements ClipModel {

  public static final int DIMENSION = 32;

  /** The preprocessing the fake image processor produces: a 2x2 "image" of the mean colour. */
  public static final PreprocessConfig PREPROCESS =
      new PreprocessConfig(2, new float[] {0f, 0f, 0f}, new float[] {1f, 1f, 1f});

  private final ModelSpec spec;
  private final Map<String, float[]> directions = new ConcurrentHashMap<>();
  private final AtomicInteger textCalls = new AtomicInteger();
  private final AtomicInteger imageCalls = new AtomicInteger();
  private volatile CountDownLatch gate;
  private final CountDownLatch entered = new CountDownLatch(1);

  public FakeClipModel() {
    this("fake-clip-32");
  }

  public FakeClipModel(String id) {
    this.spec = new ModelSpec(id, DIMENSION, 77, PREPROCESS, 100f);
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  /** From now on every encoding waits until {@link #open()}. */
  public void closeGate() {
    gate = new CountDownLatch(1);
  }

  /** Releases the encodings held at the gate. */
  public void open() {
    CountDownLatch g = gate;
    gate = null;
    if (g != null) {
      g.countDown();
    }
  }

  /** Waits until an encoding reached the gate. */
  public boolean awaitEntered(long seconds) throws InterruptedException {
    return entered.await(seconds, TimeUnit.SECONDS);
  }

  public int textCalls() {
    return textCalls.get();
  }

  public int imageCalls() {
    return imageCalls.get();
  }

  private void pass() {
    CountDownLatch g = gate;
    if (g != null) {
      entered.countDown();
      try {
        if (!g.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("test gate never opened");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public float[][] encodeTexts(List<String> texts) {
    pass();
    textCalls.incrementAndGet();
    float[][] out = new float[texts.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = textVector(texts.get(i));
    }
    return out;
  }

  @Override
  public float[][] encodeImages(List<float[]> pixelTensors) {
    pass();
    imageCalls.incrementAndGet();
    float[][] out = new float[pixelTensors.size()][];
    for (int i = 0; i < out.length; i++) {
      float[] t = pixelTensors.get(i);
      int plane = t.length / 3;
      out[i] = colourVector(t[0], t[plane], t[2 * plane]);
    }
    return out;
  }

  /** The vector of a text: the normalized sum of its words' directions. */
  public float[] textVector(String text) {
    float[] sum = new float[DIMENSION];
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (word.isEmpty()) {
        continue;
      }
      var colour = Colors.NAMED.get(word);
      float[] d =
          colour != null
              ? colourVector(
                  colour.getRed() / 255f, colour.getGreen() / 255f, colour.getBlue() / 255f)
              : direction("word:" + word);
      for (int i = 0; i < DIMENSION; i++) {
        sum[i] += d[i];
      }
    }
    return normalize(sum, "text:" + text);
  }

  /** The vector of an image of one colour (channel values in 0..1). */
  public float[] colourVector(float r, float g, float b) {
    int q =
        (Math.round(r * 255) >> 4) << 8
            | (Math.round(g * 255) >> 4) << 4
            | Math.round(b * 255) >> 4;
    return direction("colour:" + q);
  }

  private float[] direction(String key) {
    return directions.computeIfAbsent(
        key,
        k -> {
          Random random = new Random(k.hashCode() * 31L + 7);
          float[] v = new float[DIMENSION];
          for (int i = 0; i < DIMENSION; i++) {
            v[i] = (float) random.nextGaussian();
          }
          return normalize(v, k);
        });
  }

  private float[] normalize(float[] v, String what) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    if (norm == 0) {
      return direction("empty:" + what);
    }
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / Math.sqrt(norm));
    }
    return out;
  }

  @Override
  public void close() {}
}
