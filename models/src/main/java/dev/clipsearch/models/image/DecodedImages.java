package dev.clipsearch.models.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Decoded pixels back to Java2D and to a file: what drawing detections on a photo and searching by
 * a crop of it need. The pixels are copied as they are (no colour management), so a PNG written
 * here decodes to the same {@link DecodedImage}.
 */
public final class DecodedImages {

  private DecodedImages() {}

  /** A new {@link BufferedImage} (3-byte BGR, or 8-bit gray for one channel) with the pixels. */
  public static BufferedImage toBufferedImage(DecodedImage image) {
    int channels = image.channels();
    BufferedImage out =
        new BufferedImage(
            image.width(),
            image.height(),
            channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
    byte[] target = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    byte[] pixels = image.pixels();
    if (channels == 1) {
      System.arraycopy(pixels, 0, target, 0, pixels.length);
    } else {
      for (int i = 0; i < pixels.length; i += 3) {
        target[i] = pixels[i + 2];
        target[i + 1] = pixels[i + 1];
        target[i + 2] = pixels[i];
      }
    }
    return out;
  }

  /** The image as a lossless PNG file. */
  public static byte[] png(DecodedImage image) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(image.pixels().length / 2 + 1024);
    try {
      if (!ImageIO.write(toBufferedImage(image), "png", bytes)) {
        throw new IllegalStateException("no PNG writer in this JDK");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("PNG encoding failed", e);
    }
    return bytes.toByteArray();
  }
}
