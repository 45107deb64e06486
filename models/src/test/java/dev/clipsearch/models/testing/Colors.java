package dev.clipsearch.models.testing;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Map;

/**
 * Solid-colour test images, named by the words the fake model ({@link FakeClipModel}) links them
 * to.
 */
public final class Colors {

  private Colors() {}

  /** The colours the fake model knows by name. */
  public static final Map<String, Color> NAMED =
      Map.of(
          "red", new Color(220, 20, 20),
          "green", new Color(20, 200, 40),
          "blue", new Color(30, 40, 220),
          "yellow", new Color(240, 220, 30),
          "black", new Color(10, 10, 10),
          "white", new Color(245, 245, 245),
          "purple", new Color(130, 30, 160),
          "orange", new Color(250, 140, 20));

  /** A PNG of one named colour. */
  public static byte[] png(String name) {
    return png(NAMED.get(name), 16, 12);
  }

  /** A PNG filled with one colour. */
  public static byte[] png(Color color, int width, int height) {
    return TestImages.encode(fill(color, width, height), "png");
  }

  /** A JPEG filled with one colour. */
  public static byte[] jpeg(Color color, int width, int height) {
    return TestImages.encode(fill(color, width, height), "jpg");
  }

  private static BufferedImage fill(Color color, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, color.getRGB());
      }
    }
    return image;
  }
}
