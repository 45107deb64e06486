package dev.clipsearch.models.testing;

import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.ScoreFunction;
import dev.clipsearch.models.image.PreprocessConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deterministic stand-in for a CLIP model in unit tests, the one every module's tests share. It
 * comes in two geometries:
 *
 * <ul>
 *   <li>colours ({@link #FakeClipModel()}, for search tests that reason about which result comes
 *       first): every colour (quantized) and every word has its own seeded random direction. An
 *       image's vector is its mean colour's direction (the input is a 2x2 "image" of the mean
 *       colour, {@link #COLOUR_PREPROCESS}); a text's vector is the sum of its words' directions,
 *       where a colour name of {@link Colors#NAMED} ("red") is the colour's own direction. So "red
 *       shoe" is closest to red images, and two images of one colour tie for any query.
 *   <li>projection ({@link #projecting()}, for indexing tests that feed real pixels): an image
 *       vector is a fixed random projection of its pixel tensor ({@link #PROJECTION_PREPROCESS}),
 *       normalized, so equal images give equal vectors and similar images similar ones; a text's
 *       vector is seeded by the text.
 * </ul>
 *
 * <p>Both count their calls, can be told to fail or to be slow, and can hold every encoding at a
 * gate (to fill a server's inference queue on purpose).
 */
public final class FakeClipModel implements ClipModel {

  /** The dimension of the colour geometry. */
  public static final int DIMENSION = 32;

  /** The input of the colour geometry: a 2x2 "image" of the mean colour, channels in 0..1. */
  public static final PreprocessConfig COLOUR_PREPROCESS =
      new PreprocessConfig(2, new float[] {0f, 0f, 0f}, new float[] {1f, 1f, 1f});

  /** The input of the projection geometry: a small size keeps the tests fast. */
  public static final PreprocessConfig PROJECTION_PREPROCESS =
      new PreprocessConfig(16, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f});

  /** How one geometry turns inputs into (unit) vectors. */
  private interface Geometry {
    float[] image(float[] tensor);

    float[] text(String text);
  }

  private final ModelSpec spec;
  private final Geometry geometry;
  private final AtomicInteger textCalls = new AtomicInteger();
  private final AtomicInteger imageBatches = new AtomicInteger();
  private final AtomicLong imagesEncoded = new AtomicLong();
  private final CountDownLatch entered = new CountDownLatch(1);
  private volatile CountDownLatch gate;
  private volatile int failOnBatch = -1;
  private volatile boolean failAlways;
  private volatile long delayMillisPerBatch;
  private volatile int imageEncoderSessions = 1;
  private volatile CyclicBarrier together;

  /** The colour geometry, named {@code fake-clip-32}. */
  public FakeClipModel() {
    this("fake-clip-32");
  }

  /** The colour geometry under another model id. */
  public FakeClipModel(String id) {
    this(new ModelSpec(id, DIMENSION, 77, COLOUR_PREPROCESS, 100f), new ColourWords());
  }

  private FakeClipModel(ModelSpec spec, Geometry geometry) {
    this.spec = spec;
    this.geometry = geometry;
  }

  /**
   * The colour geometry whose zero-shot scores come from {@code scores} (a SigLIP-like sigmoid, or
   * plain cosines) instead of CLIP's softmax.
   */
  public static FakeClipModel scoredBy(String id, ScoreFunction scores) {
    return new FakeClipModel(
        new ModelSpec(id, DIMENSION, 77, COLOUR_PREPROCESS, 100f, scores), new ColourWords());
  }

  /** The projection geometry, named {@code fake-clip}, 16 dimensions. */
  public static FakeClipModel projecting() {
    return projecting("fake-clip", 16);
  }

  /** The projection geometry with this id and dimension (the projection is seeded by the id). */
  public static FakeClipModel projecting(String id, int dimension) {
    return new FakeClipModel(
        new ModelSpec(id, dimension, 77, PROJECTION_PREPROCESS, 100f),
        new Projection(id, dimension));
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  /** Makes the n-th image batch (from 1) throw. */
  public FakeClipModel failOnBatch(int n) {
    this.failOnBatch = n;
    return this;
  }

  /** Makes every image batch throw. */
  public FakeClipModel failAlways() {
    this.failAlways = true;
    return this;
  }

  /** Sleeps this long in every image batch (for tests that kill a run half way). */
  public FakeClipModel delayPerBatch(long millis) {
    this.delayMillisPerBatch = millis;
    return this;
  }

  /** Says it has {@code n} image encoder sessions, so callers may run that many batches at once. */
  public FakeClipModel withImageEncoderSessions(int n) {
    this.imageEncoderSessions = n;
    return this;
  }

  @Override
  public int imageEncoderSessions() {
    return imageEncoderSessions;
  }

  /**
   * From now on image batches pass in groups of {@code n}: each waits (up to 30 s, then fails)
   * until {@code n} batches are inside at once, which proves that a caller runs them concurrently
   * without timing anything.
   */
  public FakeClipModel requireConcurrentImageBatches(int n) {
    this.together = new CyclicBarrier(n);
    return this;
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

  /** How many times texts were encoded (calls, not texts). */
  public int textCalls() {
    return textCalls.get();
  }

  /** How many image batches were asked for, including those that failed. */
  public int imageCalls() {
    return imageBatches.get();
  }

  /** How many images were encoded successfully. */
  public long imagesEncoded() {
    return imagesEncoded.get();
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
    CyclicBarrier barrier = together;
    if (barrier != null) {
      try {
        barrier.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } catch (BrokenBarrierException | TimeoutException e) {
        throw new IllegalStateException(
            "fewer than " + barrier.getParties() + " image batches ran at once", e);
      }
    }
    int batch = imageBatches.incrementAndGet();
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

  /** The vector this model gives one image tensor. */
  public float[] embed(float[] tensor) {
    if (tensor.length != spec.preprocess().tensorLength()) {
      throw new IllegalArgumentException(
          "expected a tensor of "
              + spec.preprocess().tensorLength()
              + " floats, got "
              + tensor.length);
    }
    return geometry.image(tensor);
  }

  /** The vector this model gives a text. */
  public float[] textVector(String text) {
    return geometry.text(text);
  }

  /** The vector of an image of one colour (channel values in 0..1); colour geometry only. */
  public float[] colourVector(float r, float g, float b) {
    if (!(geometry instanceof ColourWords colours)) {
      throw new IllegalStateException(spec.id() + " is a projection fake, it knows no colours");
    }
    return colours.colour(r, g, b);
  }

  @Override
  public void close() {}

  /** Colour and word directions (see the class javadoc). */
  private static final class ColourWords implements Geometry {

    private final Map<String, float[]> directions = new ConcurrentHashMap<>();

    @Override
    public float[] image(float[] t) {
      int plane = t.length / 3;
      return colour(t[0], t[plane], t[2 * plane]);
    }

    /** The normalized sum of the text's words' directions. */
    @Override
    public float[] text(String text) {
      float[] sum = new float[DIMENSION];
      for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
        if (word.isEmpty()) {
          continue;
        }
        var colour = Colors.NAMED.get(word);
        float[] d =
            colour != null
                ? colour(colour.getRed() / 255f, colour.getGreen() / 255f, colour.getBlue() / 255f)
                : direction("word:" + word);
        for (int i = 0; i < DIMENSION; i++) {
          sum[i] += d[i];
        }
      }
      return normalize(sum, "text:" + text);
    }

    float[] colour(float r, float g, float b) {
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
  }

  /** A fixed random projection of the pixel tensor; texts seeded by their hash. */
  private static final class Projection implements Geometry {

    private final int dimension;
    private final float[][] rows;

    Projection(String id, int dimension) {
      this.dimension = dimension;
      Random random = new Random(id.hashCode());
      this.rows = new float[dimension][PROJECTION_PREPROCESS.tensorLength()];
      for (float[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          row[i] = (float) random.nextGaussian();
        }
      }
    }

    @Override
    public float[] image(float[] tensor) {
      float[] v = new float[dimension];
      for (int d = 0; d < v.length; d++) {
        float[] row = rows[d];
        double sum = 0;
        for (int j = 0; j < tensor.length; j++) {
          sum += row[j] * tensor[j];
        }
        v[d] = (float) sum;
      }
      return TestProducts.normalize(v);
    }

    @Override
    public float[] text(String text) {
      Random random = new Random(text.hashCode());
      float[] v = new float[dimension];
      for (int d = 0; d < v.length; d++) {
        v[d] = (float) random.nextGaussian();
      }
      return TestProducts.normalize(v);
    }
  }
}
