package dev.clipsearch.indexer.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/** Small generated product photos for tests: seeded, so the same seed gives the same bytes. */
public final class TestImages {

  private TestImages() {}

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
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Writes {@link #png} to a file and returns it. */
  public static Path writePng(Path file, long seed) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, png(seed, 40, 30));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
