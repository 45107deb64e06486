package dev.clipsearch.models.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.clipsearch.models.image.ImageDecodeException.Reason;
import dev.clipsearch.models.testing.RandomSeed;
import dev.clipsearch.models.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Containers and pixel formats against the expectations written by
 * models/reference/make_test_images.py (test resources image/decode/), images cut short, damaged
 * bytes and the pixel limit.
 */
@ExtendWith(RandomSeed.Extension.class)
class ImageDecoderTest {

  private static final ImageDecoder DECODER = new ImageDecoder(ImageLimits.DEFAULT);

  /** The 8-bit pixels in NAME.expected.png, 1 channel for gray PNGs, else 3. */
  private static DecodedImage expected(String name) {
    try {
      BufferedImage png =
          ImageIO.read(
              new ByteArrayInputStream(TestImages.resource("decode/" + name + ".expected.png")));
      boolean gray = png.getRaster().getNumBands() == 1;
      int w = png.getWidth();
      int h = png.getHeight();
      byte[] pixels = new byte[w * h * (gray ? 1 : 3)];
      int[] samples = png.getRaster().getPixels(0, 0, w, h, (int[]) null);
      for (int i = 0; i < samples.length; i++) {
        pixels[i] = (byte) samples[i];
      }
      return new DecodedImage(w, h, gray ? 1 : 3, pixels);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void assertSamePixels(DecodedImage expected, DecodedImage actual, String name) {
    assertEquals(
        Arrays.asList(expected.width(), expected.height(), expected.channels()),
        Arrays.asList(actual.width(), actual.height(), actual.channels()),
        name + ": width, height, channels");
    assertArrayEquals(expected.pixels(), actual.pixels(), name + ": pixels");
  }

  @ParameterizedTest(name = "orientation {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void jpegExifOrientationIsAppliedAsPilDoes(int orientation) {
    String name = "orientation_" + orientation;
    DecodedImage actual = TestImages.decode(TestImages.resource("decode/" + name + ".jpg"), name);
    assertSamePixels(expected(name), actual, name);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"png", "webp", "tif"})
  void exifOrientationIsReadFromPngWebpAndTiffToo(String container) {
    String name = "orientation_6_" + container;
    DecodedImage actual =
        TestImages.decode(TestImages.resource("decode/" + name + "." + container), name);
    assertSamePixels(expected(name), actual, name);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "rgb16.png, 16-bit RGB keeps the high byte",
    "rgba16.png, 16-bit RGBA: high byte then over white",
    "gray2bit.png, 2-bit gray is scaled to 0..255 and stays gray",
    "bilevel.png, 1-bit stays gray",
    "gray_alpha.png, gray with alpha stays gray over white",
    "palette_transparent.png, a transparent palette entry becomes white",
    "single_frame.gif, GIF",
    "rgb24.bmp, BMP",
    "rgb.tif, TIFF",
    "rgb_lzw.tif, LZW TIFF",
    "rgba_cutout.png, RGBA transparent over black"
  })
  void decodesPixelFormat(String file, String what) {
    String name = file.substring(0, file.lastIndexOf('.'));
    DecodedImage actual = TestImages.decode(TestImages.resource("decode/" + file), file);
    assertSamePixels(expected(name), actual, file + " (" + what + ")");
  }

  @Test
  void transparentPixelsStoredBlackBecomeWhite() {
    DecodedImage image = TestImages.decode(TestImages.resource("decode/rgba_cutout.png"), "cutout");
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < 12; x++) { // alpha 0 over stored black in these columns
        for (int c = 0; c < 3; c++) {
          assertEquals(255, image.pixels()[(y * image.width() + x) * 3 + c] & 0xFF, x + "," + y);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "clip-reference/images/china.jpg",
    "image-robustness/progressive.jpg",
    "clip-reference/images/coffee.png",
    "image-robustness/chelsea.webp",
    "image-robustness/gray16.tif",
    "test:decode/single_frame.gif",
    "test:decode/rgb24.bmp",
    "test:decode/rgb.tif",
    "test:decode/rgb_lzw.tif"
  })
  void refusesTheImageCutShortAnywhere(String file, RandomSeed seed) {
    byte[] whole =
        file.startsWith("test:")
            ? TestImages.resource(file.substring(5))
            : TestImages.read(TestImages.sharedFixtures().resolve(file));
    TestImages.decode(whole, file); // the whole file is fine
    Random random = seed.random(file.hashCode());
    for (int i = 0; i < 12; i++) {
      // anywhere after the first tenth (the header) and before the last byte
      int length = whole.length / 10 + random.nextInt(whole.length - whole.length / 10 - 1);
      byte[] cut = Arrays.copyOf(whole, length);
      String name = file + " cut to " + length + " of " + whole.length + " bytes (" + seed + ")";
      ImageDecodeException e =
          assertThrows(ImageDecodeException.class, () -> DECODER.decode(cut, name), name);
      assertEquals(Reason.CORRUPT, e.reason(), e.getMessage());
    }
  }

  @Test
  void jpegWithoutItsEndMarkerIsRefusedLikePilDoes() {
    byte[] whole = TestImages.read(TestImages.clipReference().resolve("images/flower.jpg"));
    byte[] cut = Arrays.copyOf(whole, whole.length - 2);
    ImageDecodeException e =
        assertThrows(ImageDecodeException.class, () -> DECODER.decode(cut, "flower-no-eoi.jpg"));
    assertEquals(Reason.CORRUPT, e.reason());
  }

  @Test
  void bytesAfterTheEndOfAnImageAreIgnored() {
    byte[] whole = TestImages.read(TestImages.clipReference().resolve("images/china.jpg"));
    byte[] padded = Arrays.copyOf(whole, whole.length + 100);
    Arrays.fill(padded, whole.length, padded.length, (byte) 0x55);
    assertSamePixels(
        TestImages.decode(whole, "china.jpg"), TestImages.decode(padded, "padded"), "padded");
  }

  /** Damaged bytes end in pixels or an ImageDecodeException, never in anything else. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "clip-reference/images/cifar_cat_0001.jpg",
    "clip-reference/images/page.png",
    "image-robustness/animated_tiny.gif",
    "image-robustness/chelsea.webp",
    "image-robustness/gray16.tif",
    "image-robustness/palette_10x10.png"
  })
  void damagedBytesNeverEscapeAsAnotherException(String file) {
    byte[] whole = TestImages.read(TestImages.sharedFixtures().resolve(file));
    long seed = 31L * file.hashCode() + 7;
    Random random = new Random(seed);
    for (int trial = 0; trial < 60; trial++) {
      byte[] damaged = whole.clone();
      int flips = 1 + random.nextInt(8);
      for (int f = 0; f < flips; f++) {
        damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
      }
      try {
        DecodedImage image = DECODER.decode(damaged, file);
        assertEquals(
            (long) image.width() * image.height() * image.channels(), image.pixels().length);
      } catch (ImageDecodeException expected) {
        assertTrue(expected.getMessage().startsWith(file + ": "), expected.getMessage());
      } catch (RuntimeException | Error e) {
        fail(file + " trial " + trial + " (seed " + seed + ") threw " + e, e);
      }
    }
  }

  @Test
  void pixelLimitIsConfigurableAndInclusive() throws ImageDecodeException {
    byte[] chelsea = TestImages.read(TestImages.clipReference().resolve("images/chelsea.png"));
    long pixels = 451L * 300;
    assertEquals(451, new ImageDecoder(new ImageLimits(pixels)).decode(chelsea, "c").width());
    ImageDecodeException e =
        assertThrows(
            ImageDecodeException.class,
            () -> new ImageDecoder(new ImageLimits(pixels - 1)).decode(chelsea, "chelsea.png"));
    assertEquals(Reason.TOO_MANY_PIXELS, e.reason());
    assertTrue(e.getMessage().contains("451 x 300"), e.getMessage());
  }

  @Test
  void limitsMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new ImageLimits(0));
  }

  @Test
  void unknownContentIsUnsupportedEvenWithAnImageName() {
    byte[] text = "<html>not found</html>".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    ImageDecodeException e =
        assertThrows(ImageDecodeException.class, () -> DECODER.decode(text, "shoe-42.jpg"));
    assertEquals(Reason.UNSUPPORTED_FORMAT, e.reason());
    assertTrue(e.getMessage().startsWith("shoe-42.jpg: not a supported image format"));
  }

  @Test
  void signatureAloneIsCorruptNotACrash() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    ImageDecodeException e =
        assertThrows(ImageDecodeException.class, () -> DECODER.decode(png, "header-only.png"));
    assertEquals(Reason.CORRUPT, e.reason());
  }
}
