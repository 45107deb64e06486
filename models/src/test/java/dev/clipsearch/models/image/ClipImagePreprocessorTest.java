package dev.clipsearch.models.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClipImagePreprocessorTest {

  private static final PreprocessConfig CLIP = PreprocessConfig.CLIP;
  private static final ClipImagePreprocessor PREPROCESSOR = new ClipImagePreprocessor(CLIP);

  @ParameterizedTest(name = "{0} x {1}")
  @CsvSource({
    // width, height, resized width, resized height, crop left, crop top
    "512, 512, 224, 224, 0, 0",
    "640, 427, 335, 224, 56, 0", // int(224 * 640 / 427) = int(335.7) truncates
    "451, 300, 336, 224, 56, 0",
    "601, 225, 598, 224, 187, 0",
    "97, 301, 224, 695, 0, 236", // (695 - 224) / 2 = 235.5 rounds to even: 236
    "151, 397, 224, 588, 0, 182",
    "225, 224, 225, 224, 0, 0", // (225 - 224) / 2 = 0.5 rounds to even: 0
    "227, 224, 227, 224, 2, 0", // 1.5 rounds to even: 2
    "7, 5, 313, 224, 44, 0",
    "1, 9000000, 224, 2016000000, 0, 1007999888"
  })
  void geometryTruncatesTheLongSideAndRoundsCropHalvesToEven(
      int width, int height, int resizedWidth, int resizedHeight, int left, int top) {
    assertEquals(
        new ClipImagePreprocessor.Geometry(resizedWidth, resizedHeight, left, top),
        PREPROCESSOR.geometry(width, height));
  }

  @Test
  void refusesAnImageTooElongatedToResize() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PREPROCESSOR.geometry(1, 10_000_000));
    assertEquals(
        "a 1 x 10000000 image is too elongated: its long side would be resized to 2240000000"
            + " pixels",
        e.getMessage());
  }

  @Test
  void anExtremeButResizableAspectRatioComputesOnlyTheCrop() {
    // 2 x 4,000,000 resizes to 224 x 448,000,000: only the 224 kept rows are computed
    byte[] pixels = new byte[2 * 4_000_000];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i % 2 == 0 ? 0 : 255);
    }
    float[] tensor = PREPROCESSOR.preprocess(new DecodedImage(2, 4_000_000, 1, pixels));
    float black = (0f - CLIP.mean()[0]) / CLIP.std()[0];
    assertEquals(black, tensor[0], "left edge of the upscaled black column");
  }

  /**
   * The preprocessor computes only what the crop keeps. Against a plain full resize (both passes
   * over every row and column, as Pillow runs them) followed by the crop, on seeded random images
   * of random sizes, up- and downscaled, gray and RGB: identical bytes.
   */
  @Test
  void computingOnlyTheCropEqualsResizingEverythingThenCropping() {
    long seed = 0x5EED_C11FL;
    Random random = new Random(seed);
    ClipImagePreprocessor small =
        new ClipImagePreprocessor(
            new PreprocessConfig(24, new float[] {0, 0, 0}, new float[] {1, 1, 1}));
    for (int trial = 0; trial < 200; trial++) {
      int width = 1 + random.nextInt(80);
      int height = 1 + random.nextInt(80);
      int channels = random.nextBoolean() ? 1 : 3;
      byte[] pixels = new byte[width * height * channels];
      random.nextBytes(pixels);
      DecodedImage image = new DecodedImage(width, height, channels, pixels);
      float[] expected = naive(image, small);
      float[] actual = small.preprocess(image);
      assertArrayEquals(
          expected,
          actual,
          "trial " + trial + ": " + width + " x " + height + " x " + channels + " (seed " + seed
              + ")");
    }
  }

  /** Full two-pass resize of every pixel, then crop, then normalize: the slow obvious way. */
  private static float[] naive(DecodedImage image, ClipImagePreprocessor preprocessor) {
    int w = image.width();
    int h = image.height();
    int c = image.channels();
    int size = preprocessor.config().size();
    ClipImagePreprocessor.Geometry g = preprocessor.geometry(w, h);
    int[] current = new int[w * h * c];
    for (int i = 0; i < current.length; i++) {
      current[i] = image.pixels()[i] & 0xFF;
    }
    int curW = w;
    if (g.resizedWidth() != w) {
      BicubicKernel k = BicubicKernel.of(w, g.resizedWidth(), 0, g.resizedWidth());
      int[] next = new int[g.resizedWidth() * h * c];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < g.resizedWidth(); x++) {
          for (int ch = 0; ch < c; ch++) {
            int sum = BicubicKernel.HALF;
            for (int t = 0; t < k.taps[x]; t++) {
              sum += current[(y * w + k.first[x] + t) * c + ch] * k.weights[x * k.stride + t];
            }
            next[(y * g.resizedWidth() + x) * c + ch] = BicubicKernel.clip8(sum);
          }
        }
      }
      current = next;
      curW = g.resizedWidth();
    }
    if (g.resizedHeight() != h) {
      BicubicKernel k = BicubicKernel.of(h, g.resizedHeight(), 0, g.resizedHeight());
      int[] next = new int[curW * g.resizedHeight() * c];
      for (int y = 0; y < g.resizedHeight(); y++) {
        for (int x = 0; x < curW; x++) {
          for (int ch = 0; ch < c; ch++) {
            int sum = BicubicKernel.HALF;
            for (int t = 0; t < k.taps[y]; t++) {
              sum += current[((k.first[y] + t) * curW + x) * c + ch] * k.weights[y * k.stride + t];
            }
            next[(y * curW + x) * c + ch] = BicubicKernel.clip8(sum);
          }
        }
      }
      current = next;
    }
    float[] mean = preprocessor.config().mean();
    float[] std = preprocessor.config().std();
    float[] out = new float[3 * size * size];
    for (int ch = 0; ch < 3; ch++) {
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          int src = ((g.cropTop() + y) * curW + g.cropLeft() + x) * c + (c == 1 ? 0 : ch);
          out[(ch * size + y) * size + x] = (current[src] / 255f - mean[ch]) / std[ch];
        }
      }
    }
    return out;
  }

  @Test
  void grayIsResizedOnceAndReplicatedToTheThreeChannels() {
    Random random = new Random(42);
    int width = 301;
    int height = 233;
    byte[] gray = new byte[width * height];
    random.nextBytes(gray);
    byte[] rgb = new byte[gray.length * 3];
    for (int i = 0; i < gray.length; i++) {
      Arrays.fill(rgb, 3 * i, 3 * i + 3, gray[i]);
    }
    assertArrayEquals(
        PREPROCESSOR.preprocess(new DecodedImage(width, height, 3, rgb)),
        PREPROCESSOR.preprocess(new DecodedImage(width, height, 1, gray)));
  }

  @Test
  void normalizesEachLevelAsTorchvisionDoesInFloat32() {
    // 224 x 224: no resize, no crop; every pixel has level (x + y) % 256 in all channels
    byte[] pixels = new byte[224 * 224 * 3];
    for (int y = 0; y < 224; y++) {
      for (int x = 0; x < 224; x++) {
        Arrays.fill(pixels, (y * 224 + x) * 3, (y * 224 + x) * 3 + 3, (byte) (x + y));
      }
    }
    float[] tensor = PREPROCESSOR.preprocess(new DecodedImage(224, 224, 3, pixels));
    float[] mean = CLIP.mean();
    float[] std = CLIP.std();
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 224; y += 3) {
        for (int x = 0; x < 224; x += 5) {
          float scaled = (float) ((x + y) % 256) / 255f;
          assertEquals((scaled - mean[c]) / std[c], tensor[(c * 224 + y) * 224 + x]);
        }
      }
    }
  }

  @Test
  void preprocessIntoWritesAtTheOffsetOnly() {
    DecodedImage image =
        new DecodedImage(
            3, 2, 3, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18});
    float[] alone = PREPROCESSOR.preprocess(image);
    float[] batch = new float[2 * CLIP.tensorLength() + 1];
    Arrays.fill(batch, Float.NaN);
    PREPROCESSOR.preprocessInto(image, batch, CLIP.tensorLength() + 1);
    assertArrayEquals(alone, Arrays.copyOfRange(batch, CLIP.tensorLength() + 1, batch.length));
    for (int i = 0; i <= CLIP.tensorLength(); i++) {
      assertEquals(Float.NaN, batch[i], "index " + i + " was written");
    }
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> PREPROCESSOR.preprocessInto(image, batch, CLIP.tensorLength() + 2));
  }

  @Test
  void kernelWeightsSumToOneInFixedPointAndScaleOneIsIdentity() {
    for (int[] sizes : new int[][] {{640, 335}, {7, 313}, {1411, 224}, {97, 224}, {5000, 224}}) {
      BicubicKernel k = BicubicKernel.of(sizes[0], sizes[1], 0, sizes[1]);
      for (int i = 0; i < sizes[1]; i++) {
        int sum = 0;
        for (int t = 0; t < k.taps[i]; t++) {
          sum += k.weights[i * k.stride + t];
        }
        // each weight is rounded on its own: the sum is within half a unit per tap of 1.0
        assertEquals(
            1 << BicubicKernel.PRECISION_BITS, sum, k.taps[i], Arrays.toString(sizes) + " " + i);
      }
    }
    BicubicKernel identity = BicubicKernel.of(50, 50, 0, 50);
    for (int i = 0; i < 50; i++) {
      for (int t = 0; t < identity.taps[i]; t++) {
        int expected = identity.first[i] + t == i ? 1 << BicubicKernel.PRECISION_BITS : 0;
        assertEquals(expected, identity.weights[i * identity.stride + t]);
      }
    }
  }

  @Test
  void downscalingWidensTheFilterToAverageEveryCoveredPixel() {
    // 1000 -> 100: the support is 2 * 10 input pixels on each side of the centre
    BicubicKernel k = BicubicKernel.of(1000, 100, 50, 1);
    assertEquals(40, k.taps[0]); // centre 505: taps (int) 485.5 to (int) 525.5, excluded
    assertEquals(485, k.first[0]);
  }
}
