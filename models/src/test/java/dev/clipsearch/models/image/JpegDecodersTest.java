package dev.clipsearch.models.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.models.image.ImageDecodeException.Reason;
import dev.clipsearch.models.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two JPEG paths of {@link ImageDecoder}: libjpeg-turbo (what the other image tests run through
 * when it is installed, as scripts/install-deps.sh makes sure) and the ImageIO fallback, used here
 * with the library hidden. Both must give the reference pipeline's tensors and refuse the same
 * files; the reduced (fast) decode must pick the scale it promises.
 */
class JpegDecodersTest {

  private static final ImageDecoder TURBO = new ImageDecoder(ImageLimits.DEFAULT);
  private static final ImageDecoder HIDDEN =
      ImageDecoder.withJpegLibrary(ImageLimits.DEFAULT, List.of("libturbojpeg-hidden.so.0"));
  private static final ClipImagePreprocessor PREPROCESSOR =
      new ClipImagePreprocessor(PreprocessConfig.CLIP);

  /** Every JPEG of the shared fixtures and the test resources that decodes, by name. */
  static Stream<String> jpegs() {
    List<String> names = new ArrayList<>();
    for (String image :
        List.of(
            "china.jpg",
            "cifar_cat_0001.jpg",
            "cifar_truck_0002.jpg",
            "flower.jpg",
            "retina.jpg",
            "rocket.jpg")) {
      names.add("clip-reference/images/" + image);
    }
    for (String image : List.of("cmyk.jpg", "exif_orientation_6.jpg", "progressive.jpg")) {
      names.add("image-robustness/" + image);
    }
    for (String image :
        List.of("gray_301x203.jpg", "photo_333x250.jpg", "progressive_480x321.jpg")) {
      names.add("resource:parity/" + image);
    }
    for (int orientation = 1; orientation <= 8; orientation++) {
      names.add("resource:decode/orientation_" + orientation + ".jpg");
    }
    return names.stream();
  }

  private static byte[] read(String name) {
    return name.startsWith("resource:")
        ? TestImages.resource(name.substring("resource:".length()))
        : TestImages.read(TestImages.sharedFixtures().resolve(name));
  }

  @Test
  void libjpegTurboIsInUseWhereItIsInstalled() {
    assertTrue(
        TURBO.usesTurboJpeg(),
        "libjpeg-turbo did not load: install libturbojpeg0 (scripts/install-deps.sh does)");
    assertTrue(
        TURBO.jpegDecoder().startsWith("libjpeg-turbo (libturbojpeg.so"), TURBO.jpegDecoder());
  }

  @Test
  void aHiddenLibraryMeansImageIoAndSaysWhy() {
    assertFalse(HIDDEN.usesTurboJpeg());
    assertTrue(HIDDEN.jpegDecoder().startsWith("ImageIO"), HIDDEN.jpegDecoder());
    assertTrue(HIDDEN.jpegDecoder().contains("libturbojpeg-hidden.so.0"), HIDDEN.jpegDecoder());
    assertFalse(TURBO.withoutTurboJpeg().usesTurboJpeg());
  }

  /**
   * libjpeg 6b (ImageIO) and libjpeg-turbo, both with the accurate integer IDCT and fancy
   * upsampling, give the same samples on every fixture JPEG; a difference is printed before the
   * failure.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jpegs")
  void bothPathsGiveTheSameSamples(String name) throws ImageDecodeException {
    byte[] data = read(name);
    DecodedImage turbo = TURBO.decode(data, name);
    DecodedImage imageIo = HIDDEN.decode(data, name);
    assertEquals(
        List.of(imageIo.width(), imageIo.height(), imageIo.channels()),
        List.of(turbo.width(), turbo.height(), turbo.channels()),
        name + ": width, height, channels");
    int max = 0;
    long sum = 0;
    long differing = 0;
    for (int i = 0; i < turbo.pixels().length; i++) {
      int diff = Math.abs((turbo.pixels()[i] & 0xFF) - (imageIo.pixels()[i] & 0xFF));
      max = Math.max(max, diff);
      sum += diff;
      differing += diff == 0 ? 0 : 1;
    }
    System.out.printf(
        Locale.ROOT,
        "%s: libjpeg-turbo vs ImageIO: max %d levels, mean %.4f, %d of %d samples differ%n",
        name,
        max,
        (double) sum / turbo.pixels().length,
        differing,
        turbo.pixels().length);
    assertEquals(0, max, name + ": samples differ by up to " + max + " levels");
  }

  /** The shared golden tensors, reached through the fallback with the library hidden. */
  @Test
  void theFallbackMatchesTheSharedReferenceTensors() throws IOException, ImageDecodeException {
    JsonNode spec =
        new ObjectMapper()
            .readTree(TestImages.read(TestImages.clipReference().resolve("preprocess.json")));
    int checked = 0;
    for (JsonNode c : spec.get("cases")) {
      String image = c.get("image").asText();
      if (!image.endsWith(".jpg")) {
        continue;
      }
      float[] expected =
          TestImages.floats(
              TestImages.read(TestImages.clipReference().resolve(c.get("tensor").asText())), false);
      byte[] data = TestImages.read(TestImages.clipReference().resolve(image));
      for (ImageDecoder decoder : List.of(HIDDEN, TURBO)) {
        float[] actual = PREPROCESSOR.preprocess(decoder.decode(data, image));
        double max = 0;
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
          double diff = Math.abs(actual[i] - expected[i]);
          max = Math.max(max, diff);
          sum += diff;
        }
        String what = image + " through " + decoder.jpegDecoder();
        assertTrue(max <= 0.02, what + ": max |diff| " + max);
        assertTrue(sum / actual.length <= 0.001, what + ": mean |diff| " + sum / actual.length);
      }
      checked++;
    }
    assertEquals(6, checked, "JPEG cases in preprocess.json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"truncated.jpg", "empty.jpg", "not_an_image.jpg"})
  void bothPathsRefuseTheSameFilesForTheSameReason(String name) {
    byte[] data = TestImages.read(TestImages.robustness(name));
    Reason turbo =
        assertThrows(ImageDecodeException.class, () -> TURBO.decode(data, name)).reason();
    Reason imageIo =
        assertThrows(ImageDecodeException.class, () -> HIDDEN.decode(data, name)).reason();
    assertEquals(imageIo, turbo, name);
  }

  @Test
  void theHeaderPixelCountIsCheckedBeforeDecoding() {
    byte[] jpeg = jpeg(640, 480, 90, 1);
    ImageDecoder small = new ImageDecoder(new ImageLimits(640 * 480 - 1));
    ImageDecodeException e =
        assertThrows(ImageDecodeException.class, () -> small.decode(jpeg, "photo.jpg"));
    assertEquals(Reason.TOO_MANY_PIXELS, e.reason());
    assertTrue(e.getMessage().contains("640 x 480"), e.getMessage());
  }

  @Test
  void aJpegCutShortIsCorruptNotHalfGrey() {
    byte[] whole = jpeg(640, 480, 90, 2);
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);
    ImageDecodeException e =
        assertThrows(ImageDecodeException.class, () -> TURBO.decode(cut, "cut.jpg"));
    assertEquals(Reason.CORRUPT, e.reason());
  }

  @Test
  void reducedDecodingPicksTheSmallestScaleWhoseShortSideIsLargeEnough()
      throws ImageDecodeException {
    byte[] photo = jpeg(2000, 1500, 90, 3);
    // 1500 / 8 = 188 < 224, 1500 / 4 = 375 >= 224
    DecodedImage quarter = TURBO.reducedTo(224).decode(photo, "photo.jpg");
    assertEquals(
        List.of(500, 375, 3), List.of(quarter.width(), quarter.height(), quarter.channels()));
    DecodedImage eighth = TURBO.reducedTo(188).decode(photo, "photo.jpg");
    assertEquals(List.of(250, 188), List.of(eighth.width(), eighth.height()));
    DecodedImage half = TURBO.reducedTo(376).decode(photo, "photo.jpg");
    assertEquals(List.of(1000, 750), List.of(half.width(), half.height()));
    DecodedImage full = TURBO.reducedTo(1000).decode(photo, "photo.jpg");
    assertEquals(List.of(2000, 1500), List.of(full.width(), full.height()));
    assertArrayEquals(full.pixels(), TURBO.decode(photo, "photo.jpg").pixels());
    // without libjpeg-turbo there is no reduced decode: full size
    DecodedImage fallback = HIDDEN.reducedTo(224).decode(photo, "photo.jpg");
    assertEquals(List.of(2000, 1500), List.of(fallback.width(), fallback.height()));
  }

  @Test
  void reducedDecodingKeepsTheExifOrientation() throws ImageDecodeException {
    byte[] data = TestImages.read(TestImages.robustness("exif_orientation_6.jpg"));
    DecodedImage full = TURBO.decode(data, "exif_orientation_6.jpg");
    int shortSide = Math.min(full.width(), full.height());
    DecodedImage half = TURBO.reducedTo(shortSide / 2).decode(data, "exif_orientation_6.jpg");
    assertEquals((full.width() + 1) / 2, half.width());
    assertEquals((full.height() + 1) / 2, half.height());
    assertEquals(
        List.of(full.width(), full.height()), List.of(half.fullWidth(), half.fullHeight()));
  }

  /**
   * A fast decode lands on the exact decode's output pixels: same resize and crop geometry, taken
   * from the full size, even when the reduced sides were rounded up (2389 / 4 = 597.25 -> 598).
   */
  @Test
  void fastDecodingStaysWithinALevelOfExactOnAverage() throws ImageDecodeException {
    byte[] photo = jpeg(2389, 1792, 90, 4);
    ImageDecoder fast = DecodeMode.FAST.decoder(TURBO, PreprocessConfig.CLIP.size());
    DecodedImage reduced = fast.decode(photo, "photo.jpg");
    assertEquals(
        List.of(598, 448, 2389, 1792, 4),
        List.of(
            reduced.width(),
            reduced.height(),
            reduced.fullWidth(),
            reduced.fullHeight(),
            reduced.reduction()));
    float[] exact = PREPROCESSOR.preprocess(TURBO.decode(photo, "photo.jpg"));
    float[] approximate = PREPROCESSOR.preprocess(reduced);
    int plane = PreprocessConfig.CLIP.size() * PreprocessConfig.CLIP.size();
    double sum = 0;
    for (int i = 0; i < exact.length; i++) {
      sum += Math.abs(exact[i] - approximate[i]) * PreprocessConfig.CLIP.std()[i / plane] * 255;
    }
    double meanLevels = sum / exact.length;
    assertTrue(meanLevels > 0 && meanLevels < 1, "mean deviation " + meanLevels + " levels");
    assertArrayEquals(
        exact, PREPROCESSOR.preprocess(DecodeMode.EXACT.decoder(fast, 224).decode(photo, "p")));
  }

  /** A seeded, photo-like JPEG (smooth gradients plus noise) written by ImageIO. */
  static byte[] jpeg(int width, int height, int quality, long seed) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Random random = new Random(seed);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = (int) (127 + 120 * Math.sin(x / 97.0 + seed)) + random.nextInt(9) - 4;
        int g = (int) (127 + 120 * Math.cos(y / 71.0)) + random.nextInt(9) - 4;
        int b = ((x ^ y) & 0xFF) / 2 + 64 + random.nextInt(9) - 4;
        image.setRGB(x, y, (clamp(r) << 16) | (clamp(g) << 8) | clamp(b));
      }
    }
    try {
      var writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      var param = writer.getDefaultWriteParam();
      param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality / 100f);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (var stream = ImageIO.createImageOutputStream(out)) {
        writer.setOutput(stream);
        writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
      }
      writer.dispose();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
