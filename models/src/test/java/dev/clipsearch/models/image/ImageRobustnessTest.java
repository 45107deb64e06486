package dev.clipsearch.models.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.image.ImageDecodeException.Reason;
import dev.clipsearch.models.testing.TestImages;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every file of shared/fixtures/image-robustness ends as its README says: decoded, or rejected with
 * the stated reason and a message naming the file.
 */
class ImageRobustnessTest {

  private static final ImageDecoder DECODER = new ImageDecoder(ImageLimits.DEFAULT);
  private static final ClipImagePreprocessor PREPROCESSOR =
      new ClipImagePreprocessor(PreprocessConfig.CLIP);

  /** Mean |diff| in normalized units that JPEG or lossy WebP noise stays under. */
  private static final double SAME_PICTURE = 0.05;

  private static DecodedImage decode(String name) throws ImageDecodeException {
    return DECODER.decode(TestImages.read(TestImages.robustness(name)), name);
  }

  private static float[] tensor(String name) throws ImageDecodeException {
    return PREPROCESSOR.preprocess(decode(name));
  }

  private static float[] chelsea() throws ImageDecodeException {
    byte[] png = TestImages.read(TestImages.clipReference().resolve("images/chelsea.png"));
    return PREPROCESSOR.preprocess(DECODER.decode(png, "chelsea.png"));
  }

  private static double meanAbsDiff(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs(a[i] - b[i]);
    }
    return sum / a.length;
  }

  @Test
  void cmykJpegDecodesWithChelseasColoursNotInverted() throws ImageDecodeException {
    DecodedImage cmyk = decode("cmyk.jpg");
    assertEquals(3, cmyk.channels());
    float[] upright = chelsea();
    double diff = meanAbsDiff(tensor("cmyk.jpg"), upright);
    assertTrue(diff < SAME_PICTURE, "cmyk.jpg differs from chelsea.png by " + diff);
    // the inverted picture would be far away
    byte[] inverted = cmyk.pixels().clone();
    for (int i = 0; i < inverted.length; i++) {
      inverted[i] = (byte) (255 - (inverted[i] & 0xFF));
    }
    float[] negative =
        PREPROCESSOR.preprocess(new DecodedImage(cmyk.width(), cmyk.height(), 3, inverted));
    assertTrue(meanAbsDiff(negative, upright) > 10 * diff, "the test cannot tell inverted colours");
  }

  @Test
  void exifOrientation6IsTurnedUpright() throws ImageDecodeException {
    DecodedImage image = decode("exif_orientation_6.jpg");
    assertEquals(451, image.width(), "stored 300 x 451, shown 451 x 300");
    assertEquals(300, image.height());
    float[] upright = chelsea();
    double diff = meanAbsDiff(PREPROCESSOR.preprocess(image), upright);
    assertTrue(diff < SAME_PICTURE, "upright exif_orientation_6.jpg differs by " + diff);
    float[] stored = PREPROCESSOR.preprocess(Orientation.apply(image, 8)); // undo the rotation
    assertTrue(meanAbsDiff(stored, upright) > 5 * diff, "the test cannot tell a rotated picture");
  }

  @Test
  void progressiveJpegDecodesToChelsea() throws ImageDecodeException {
    double diff = meanAbsDiff(tensor("progressive.jpg"), chelsea());
    assertTrue(diff < SAME_PICTURE, "progressive.jpg differs from chelsea.png by " + diff);
  }

  @Test
  void lossyWebpDecodesToChelsea() throws ImageDecodeException {
    double diff = meanAbsDiff(tensor("chelsea.webp"), chelsea());
    assertTrue(diff < SAME_PICTURE, "chelsea.webp differs from chelsea.png by " + diff);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"gray16.png, 512, 512", "gray16.tif, 200, 200"})
  void sixteenBitGrayKeepsTheHighByteOfEachSample(String name, int width, int height)
      throws ImageDecodeException, IOException {
    DecodedImage image = decode(name);
    assertEquals(width, image.width());
    assertEquals(height, image.height());
    assertEquals(1, image.channels(), "grayscale stays single-channel");
    Raster raw = ImageIO.read(TestImages.robustness(name).toFile()).getRaster();
    assertEquals(16, raw.getSampleModel().getSampleSize(0), "the fixture is 16-bit");
    for (int y = 0; y < height; y += 7) {
      for (int x = 0; x < width; x += 5) {
        int expected = raw.getSample(x, y, 0) >> 8;
        assertEquals(expected, image.pixels()[y * width + x] & 0xFF, name + " at " + x + "," + y);
      }
    }
  }

  @Test
  void palettePngIsExpandedToItsColours() throws ImageDecodeException, IOException {
    DecodedImage image = decode("palette_10x10.png");
    BufferedImage reference = ImageIO.read(TestImages.robustness("palette_10x10.png").toFile());
    assertPixelsEqualArgbOverWhite(reference, image, "palette_10x10.png");
  }

  @Test
  void animatedGifGivesItsFirstFrame() throws ImageDecodeException, IOException {
    DecodedImage image = decode("animated_tiny.gif");
    BufferedImage firstFrame = ImageIO.read(TestImages.robustness("animated_tiny.gif").toFile());
    assertPixelsEqualArgbOverWhite(firstFrame, image, "animated_tiny.gif");
  }

  /**
   * rgba_logo.png turns out to be fully opaque and rgba_horse.png only partly transparent (alpha
   * 110 at least) over white pixels; ImageDecoderTest's rgba_cutout.png, transparent over black, is
   * the discriminating case.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"rgba_logo.png", "rgba_horse.png"})
  void transparencyIsCompositedOverWhite(String name) throws ImageDecodeException, IOException {
    DecodedImage image = decode(name);
    BufferedImage rgba =
        ImageIO.read(new ByteArrayInputStream(TestImages.read(TestImages.robustness(name))));
    assertTrue(rgba.getColorModel().hasAlpha(), name + " has an alpha channel");
    assertPixelsEqualArgbOverWhite(rgba, image, name);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "truncated.jpg, CORRUPT",
    "png_cut_in_half.png, CORRUPT",
    "empty.jpg, EMPTY",
    "not_an_image.jpg, UNSUPPORTED_FORMAT",
    "png_header_claims_100000x100000.png, TOO_MANY_PIXELS",
    "bomb_30000x30000.png, TOO_MANY_PIXELS"
  })
  void isRejectedWithItsReasonAndName(String name, Reason reason) {
    ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decode(name));
    assertEquals(reason, e.reason(), e.getMessage());
    assertEquals(name, e.sourceName());
    assertTrue(e.getMessage().startsWith(name + ": " + reason.description()), e.getMessage());
  }

  @Test
  void bombIsRejectedWithoutAllocatingItsPixels() {
    // 900 megapixels would need 900 MB to 2.7 GB; the tests run in 2 GB of heap. Measure how much
    // this thread allocates while rejecting it.
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    ImageDecodeException e =
        assertThrows(ImageDecodeException.class, () -> decode("bomb_30000x30000.png"));
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertEquals(Reason.TOO_MANY_PIXELS, e.reason());
    assertTrue(allocated < 16_000_000, "allocated " + allocated + " bytes to reject the bomb");
  }

  /** Compares against ImageIO's own sRGB view, alpha composited over white. */
  static void assertPixelsEqualArgbOverWhite(
      BufferedImage reference, DecodedImage image, String name) {
    assertEquals(reference.getWidth(), image.width(), name + " width");
    assertEquals(reference.getHeight(), image.height(), name + " height");
    int channels = image.channels();
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        int argb = reference.getRGB(x, y);
        int a = argb >>> 24;
        for (int c = 0; c < 3; c++) {
          int v = (argb >> (16 - 8 * c)) & 0xFF;
          int expected = (v * a + 255 * (255 - a) + 127) / 255;
          int actual =
              image.pixels()[(y * image.width() + x) * channels + (channels == 1 ? 0 : c)] & 0xFF;
          assertEquals(expected, actual, name + " at " + x + "," + y + " channel " + c);
        }
      }
    }
  }
}
