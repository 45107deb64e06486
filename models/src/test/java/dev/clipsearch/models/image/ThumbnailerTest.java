package dev.clipsearch.models.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ThumbnailerTest {

  private static DecodedImage solid(int w, int h, int channels, int value) {
    byte[] pixels = new byte[w * h * channels];
    java.util.Arrays.fill(pixels, (byte) value);
    return new DecodedImage(w, h, channels, pixels);
  }

  private static BufferedImage read(byte[] jpeg) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(jpeg));
  }

  @Test
  void the_longer_side_is_scaled_to_the_limit_keeping_the_aspect_ratio() throws IOException {
    Thumbnailer thumbnailer = new Thumbnailer(128, 0.8f);
    BufferedImage landscape = read(thumbnailer.thumbnail(solid(800, 600, 3, 100)));
    assertEquals(128, landscape.getWidth());
    assertEquals(96, landscape.getHeight());
    BufferedImage portrait = read(thumbnailer.thumbnail(solid(300, 1000, 3, 100)));
    assertEquals(38, portrait.getWidth());
    assertEquals(128, portrait.getHeight());
  }

  @Test
  void small_images_keep_their_size_and_gray_stays_gray() throws IOException {
    BufferedImage small = read(new Thumbnailer(128, 0.8f).thumbnail(solid(10, 10, 1, 200)));
    assertEquals(10, small.getWidth());
    assertEquals(1, small.getRaster().getNumBands());
  }

  @Test
  void box_resize_averages_the_covered_area() {
    // 4x1 gray [0, 100, 200, 255] to 2x1: means of each half.
    byte[] out = Thumbnailer.boxResize(new byte[] {0, 100, (byte) 200, (byte) 255}, 4, 1, 1, 2, 1);
    assertEquals(50, out[0] & 0xFF);
    assertEquals(228, out[1] & 0xFF);
    // 3 pixels to 2: the middle one is split between both outputs.
    byte[] uneven = Thumbnailer.boxResize(new byte[] {0, 90, (byte) 180}, 3, 1, 1, 2, 1);
    assertEquals(30, uneven[0] & 0xFF);
    assertEquals(150, uneven[1] & 0xFF);
  }

  @Test
  void colours_survive_the_round_trip_in_rgb_order() throws IOException {
    byte[] red = new byte[64 * 64 * 3];
    for (int i = 0; i < red.length; i += 3) {
      red[i] = (byte) 220;
      red[i + 1] = 20;
      red[i + 2] = 30;
    }
    BufferedImage image =
        read(new Thumbnailer(32, 0.9f).thumbnail(new DecodedImage(64, 64, 3, red)));
    int rgb = image.getRGB(16, 16);
    assertEquals(220, (rgb >> 16) & 0xFF, 6);
    assertEquals(20, (rgb >> 8) & 0xFF, 6);
    assertEquals(30, rgb & 0xFF, 6);
  }

  @Test
  void out_of_range_settings_are_refused() {
    assertThrows(IllegalArgumentException.class, () -> new Thumbnailer(4, 0.8f));
    assertThrows(IllegalArgumentException.class, () -> new Thumbnailer(128, 0f));
  }
}
