package dev.clipsearch.models.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Makes the small JPEG the index stores per image, so result lists can be shown without the
 * original files. The longer side is scaled to at most {@code maxSide} pixels with an area-average
 * (box) filter, which is exact for downscaling and cheap; smaller images are kept at their size.
 * Grayscale stays single-channel. Thread-safe.
 */
public final class Thumbnailer {

  /** Default longer side in pixels. */
  public static final int DEFAULT_MAX_SIDE = 128;

  /** Default JPEG quality (0..1). */
  public static final float DEFAULT_QUALITY = 0.8f;

  private final int maxSide;
  private final float quality;

  public Thumbnailer(int maxSide, float quality) {
    if (maxSide < 8 || maxSide > 1024) {
      throw new IllegalArgumentException("thumbnail size must be in 8..1024, got " + maxSide);
    }
    if (!(quality > 0f && quality <= 1f)) {
      throw new IllegalArgumentException("JPEG quality must be in (0, 1], got " + quality);
    }
    this.maxSide = maxSide;
    this.quality = quality;
  }

  public int maxSide() {
    return maxSide;
  }

  /** The JPEG bytes of the thumbnail. */
  public byte[] thumbnail(DecodedImage image) {
    double scale = Math.min(1.0, (double) maxSide / Math.max(image.width(), image.height()));
    int width = Math.max(1, (int) Math.round(image.width() * scale));
    int height = Math.max(1, (int) Math.round(image.height() * scale));
    byte[] pixels =
        scale == 1.0
            ? image.pixels()
            : boxResize(
                image.pixels(), image.width(), image.height(), image.channels(), width, height);
    return jpeg(pixels, width, height, image.channels());
  }

  /**
   * Area-average resize of interleaved 8-bit pixels: each output pixel is the mean of the input
   * area it covers, with fractional coverage at the edges.
   */
  static byte[] boxResize(byte[] src, int sw, int sh, int channels, int dw, int dh) {
    double sx = (double) sw / dw;
    double sy = (double) sh / dh;
    byte[] out = new byte[dw * dh * channels];
    double[] acc = new double[channels];
    for (int oy = 0; oy < dh; oy++) {
      double y0 = oy * sy;
      double y1 = y0 + sy;
      int iy0 = (int) y0;
      int iy1 = Math.min(sh, (int) Math.ceil(y1));
      for (int ox = 0; ox < dw; ox++) {
        double x0 = ox * sx;
        double x1 = x0 + sx;
        int ix0 = (int) x0;
        int ix1 = Math.min(sw, (int) Math.ceil(x1));
        Arrays.fill(acc, 0);
        double total = 0;
        for (int y = iy0; y < iy1; y++) {
          double wy = Math.min(y + 1, y1) - Math.max(y, y0);
          int row = y * sw;
          for (int x = ix0; x < ix1; x++) {
            double w = wy * (Math.min(x + 1, x1) - Math.max(x, x0));
            int p = (row + x) * channels;
            for (int c = 0; c < channels; c++) {
              acc[c] += w * (src[p + c] & 0xFF);
            }
            total += w;
          }
        }
        int o = (oy * dw + ox) * channels;
        for (int c = 0; c < channels; c++) {
          out[o + c] = (byte) Math.min(255, (int) Math.round(acc[c] / total));
        }
      }
    }
    return out;
  }

  private byte[] jpeg(byte[] pixels, int width, int height, int channels) {
    BufferedImage image =
        DecodedImages.toBufferedImage(new DecodedImage(width, height, channels, pixels));
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    if (!writers.hasNext()) {
      throw new IllegalStateException("no JPEG writer in this JDK");
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(8 << 10);
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("JPEG encoding of a thumbnail failed", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
