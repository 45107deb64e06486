package dev.clipsearch.models.testing;

import dev.clipsearch.models.image.DecodedImage;
import dev.clipsearch.models.image.ImageDecodeException;
import dev.clipsearch.models.image.ImageDecoder;
import dev.clipsearch.models.image.ImageLimits;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;

/**
 * Test images for every module: where the shared fixture images are, how to read reference tensors,
 * and small generated product photos (seeded, so the same seed gives the same bytes).
 */
public final class TestImages {

  private TestImages() {}

  /** ../shared/fixtures, passed by Surefire as the clipsearch.shared property. */
  public static Path sharedFixtures() {
    String shared = System.getProperty("clipsearch.shared");
    if (shared == null) {
      throw new IllegalStateException("the clipsearch.shared system property is not set");
    }
    return Path.of(shared, "fixtures");
  }

  public static Path clipReference() {
    return sharedFixtures().resolve("clip-reference");
  }

  public static Path robustness(String name) {
    return sharedFixtures().resolve("image-robustness").resolve(name);
  }

  /** A test resource under /image/ on the class path. */
  public static byte[] resource(String path) {
    try (InputStream in = TestImages.class.getResourceAsStream("/image/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource /image/" + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** float32 little-endian values; gunzipped first when the name ends in .gz. */
  public static float[] floats(byte[] bytes, boolean gzipped) {
    if (gzipped) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
        bytes = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    float[] values = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }

  /** Decodes with the production decoder and default limits; a failure fails the test. */
  public static DecodedImage decode(byte[] data, String name) {
    try {
      return new ImageDecoder(ImageLimits.DEFAULT).decode(data, name);
    } catch (ImageDecodeException e) {
      throw new AssertionError("could not decode " + name + ": " + e.getMessage(), e);
    }
  }

  /** PNG bytes of a {@code width x height} image with a few seeded coloured rectangles. */
  public static byte[] png(long seed, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    Random random = new Random(seed);
    g.setColor(new Color(random.nextInt(0xFFFFFF)));
    g.fillRect(0, 0, width, height);
    for (int i = 0; i < 4; i++) {
      g.setColor(new Color(random.nextInt(0xFFFFFF)));
      g.fillRect(
          random.nextInt(width),
          random.nextInt(height),
          1 + random.nextInt(width),
          1 + random.nextInt(height));
    }
    g.dispose();
    return encode(image, "png");
  }

  /** Writes a 40x30 {@link #png} to a file and returns it. */
  public static Path writePng(Path file, long seed) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, png(seed, 40, 30));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The image in an ImageIO format ("png", "jpg"). */
  static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
