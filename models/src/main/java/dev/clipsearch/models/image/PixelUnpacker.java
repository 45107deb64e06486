package dev.clipsearch.models.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.WritableRaster;
import java.util.Arrays;

/**
 * Turns what an ImageIO reader returns into {@link DecodedImage}'s 8-bit gray or RGB pixels, with
 * the sample values as decoded: no colour management, as PIL does. Grayscale stays one channel,
 * palettes are expanded, 16-bit samples keep their high byte (PIL's rule for 16-bit RGB), CMYK
 * becomes RGB with PIL's formula, and alpha is composited over white.
 */
final class PixelUnpacker {

  private PixelUnpacker() {}

  /** The colour layouts of component images this class understands. */
  private enum Layout {
    GRAY(1),
    RGB(3),
    CMYK(3);

    final int outputChannels;

    Layout(int outputChannels) {
      this.outputChannels = outputChannels;
    }
  }

  static DecodedImage unpack(BufferedImage image, String sourceName) throws ImageDecodeException {
    ColorModel colorModel = image.getColorModel();
    WritableRaster raster = image.getRaster();
    if (colorModel instanceof IndexColorModel palette) {
      return fromPalette(palette, raster);
    }
    if (colorModel instanceof ComponentColorModel) {
      return fromComponents(colorModel, raster, sourceName);
    }
    if (colorModel instanceof DirectColorModel) {
      return fromPackedRgb(image);
    }
    throw unsupported(sourceName, "colour model " + colorModel.getClass().getSimpleName());
  }

  private static DecodedImage fromComponents(
      ColorModel colorModel, WritableRaster raster, String sourceName) throws ImageDecodeException {
    int colours = colorModel.getNumColorComponents();
    int spaceType = colorModel.getColorSpace().getType();
    Layout layout;
    if (colours == 1) {
      layout = Layout.GRAY;
    } else if (colours == 3 && spaceType != ColorSpace.TYPE_YCbCr) {
      layout = Layout.RGB; // RGB, or an ICC space of three colours: its values as they are
    } else if (colours == 4 && spaceType == ColorSpace.TYPE_CMYK) {
      layout = Layout.CMYK;
    } else {
      throw unsupported(
          sourceName, colours + " colour components in colour space type " + spaceType);
    }
    int transferType = raster.getTransferType();
    if (transferType != DataBuffer.TYPE_BYTE
        && transferType != DataBuffer.TYPE_USHORT
        && transferType != DataBuffer.TYPE_INT) {
      throw unsupported(sourceName, "floating-point or signed samples");
    }
    int width = raster.getWidth();
    int height = raster.getHeight();
    boolean alpha = colorModel.hasAlpha();
    int bands = raster.getNumBands();
    int[] bits = colorModel.getComponentSize();

    byte[] shared = alpha ? null : interleavedBytes(raster, bits);
    if (shared != null) {
      int[] offsets = ((PixelInterleavedSampleModel) raster.getSampleModel()).getBandOffsets();
      if (layout == Layout.GRAY) {
        return new DecodedImage(width, height, 1, shared);
      }
      if (layout == Layout.RGB && Arrays.equals(offsets, new int[] {0, 1, 2})) {
        return new DecodedImage(width, height, 3, shared);
      }
      if (layout == Layout.RGB && Arrays.equals(offsets, new int[] {2, 1, 0})) {
        swapFirstAndThird(shared); // BGR in place: the image is ours alone
        return new DecodedImage(width, height, 3, shared);
      }
    }

    int channels = layout.outputChannels;
    byte[] out = new byte[width * height * channels];
    int[] samples = new int[width * bands];
    boolean premultiplied = colorModel.isAlphaPremultiplied();
    for (int y = 0, o = 0; y < height; y++) {
      raster.getPixels(0, y, width, 1, samples);
      for (int i = 0; i < samples.length; i++) {
        samples[i] = to8Bits(samples[i], bits[i % bands]);
      }
      for (int x = 0, s = 0; x < width; x++, s += bands) {
        int a = alpha ? samples[s + bands - 1] : 255;
        switch (layout) {
          case GRAY -> out[o++] = overWhite(samples[s], a, premultiplied);
          case RGB -> {
            out[o++] = overWhite(samples[s], a, premultiplied);
            out[o++] = overWhite(samples[s + 1], a, premultiplied);
            out[o++] = overWhite(samples[s + 2], a, premultiplied);
          }
          case CMYK -> {
            int k = samples[s + 3];
            out[o++] = overWhite(cmykToRgb(samples[s], k), a, premultiplied);
            out[o++] = overWhite(cmykToRgb(samples[s + 1], k), a, premultiplied);
            out[o++] = overWhite(cmykToRgb(samples[s + 2], k), a, premultiplied);
          }
        }
      }
    }
    return new DecodedImage(width, height, channels, out);
  }

  /**
   * The raster's byte array when it holds exactly width x height pixels of 8-bit samples,
   * interleaved with no padding, so that it can be used without copying; otherwise null.
   */
  private static byte[] interleavedBytes(WritableRaster raster, int[] bits) {
    if (!(raster.getDataBuffer() instanceof DataBufferByte buffer)
        || !(raster.getSampleModel() instanceof PixelInterleavedSampleModel model)
        || Arrays.stream(bits).anyMatch(b -> b != 8)) {
      return null;
    }
    int bands = raster.getNumBands();
    byte[] data = buffer.getData();
    boolean exact =
        buffer.getNumBanks() == 1
            && buffer.getOffset() == 0
            && raster.getSampleModelTranslateX() == 0
            && raster.getSampleModelTranslateY() == 0
            && model.getPixelStride() == bands
            && model.getScanlineStride() == raster.getWidth() * bands
            && data.length == raster.getWidth() * raster.getHeight() * bands;
    return exact ? data : null;
  }

  /** BGR to RGB in place, four pixels per step (several times faster than one per step). */
  private static void swapFirstAndThird(byte[] p) {
    int n = p.length;
    int i = 0;
    for (; i + 12 <= n; i += 12) {
      byte b0 = p[i];
      byte b1 = p[i + 3];
      byte b2 = p[i + 6];
      byte b3 = p[i + 9];
      p[i] = p[i + 2];
      p[i + 2] = b0;
      p[i + 3] = p[i + 5];
      p[i + 5] = b1;
      p[i + 6] = p[i + 8];
      p[i + 8] = b2;
      p[i + 9] = p[i + 11];
      p[i + 11] = b3;
    }
    for (; i < n; i += 3) {
      byte b = p[i];
      p[i] = p[i + 2];
      p[i + 2] = b;
    }
  }

  private static DecodedImage fromPalette(IndexColorModel palette, WritableRaster raster) {
    int entries = palette.getMapSize();
    byte[] rgb = new byte[entries * 3];
    boolean gray = true;
    for (int i = 0; i < entries; i++) {
      int a = palette.getAlpha(i);
      byte r = overWhite(palette.getRed(i), a, false);
      byte g = overWhite(palette.getGreen(i), a, false);
      byte b = overWhite(palette.getBlue(i), a, false);
      rgb[3 * i] = r;
      rgb[3 * i + 1] = g;
      rgb[3 * i + 2] = b;
      gray &= r == g && g == b;
    }
    int width = raster.getWidth();
    int height = raster.getHeight();
    int channels = gray ? 1 : 3; // 1-bit and 2/4-bit gray PNGs arrive as gray palettes
    byte[] out = new byte[width * height * channels];
    int[] indices = new int[width];
    for (int y = 0, o = 0; y < height; y++) {
      raster.getSamples(0, y, width, 1, 0, indices);
      for (int x = 0; x < width; x++) {
        int index = indices[x] < entries ? indices[x] : 0; // out-of-range index in a bad file
        if (gray) {
          out[o++] = rgb[3 * index];
        } else {
          out[o++] = rgb[3 * index];
          out[o++] = rgb[3 * index + 1];
          out[o++] = rgb[3 * index + 2];
        }
      }
    }
    return new DecodedImage(width, height, channels, out);
  }

  /** Pixels packed in ints (BMP 16 and 32-bit): unpacked by the colour model to sRGB. */
  private static DecodedImage fromPackedRgb(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    boolean alpha = image.getColorModel().hasAlpha();
    byte[] out = new byte[width * height * 3];
    int[] row = new int[width];
    for (int y = 0, o = 0; y < height; y++) {
      image.getRGB(0, y, width, 1, row, 0, width);
      for (int argb : row) {
        int a = alpha ? argb >>> 24 : 255;
        out[o++] = overWhite((argb >> 16) & 0xFF, a, false);
        out[o++] = overWhite((argb >> 8) & 0xFF, a, false);
        out[o++] = overWhite(argb & 0xFF, a, false);
      }
    }
    return new DecodedImage(width, height, 3, out);
  }

  /** A sample of the given bit depth as 8 bits: deeper ones keep their high byte. */
  static int to8Bits(int sample, int bits) {
    if (bits == 8) {
      return sample;
    }
    if (bits > 8) {
      return sample >>> (bits - 8);
    }
    int max = (1 << bits) - 1;
    return (sample * 255 + max / 2) / max;
  }

  /**
   * PIL's CMYK to RGB for one colour sample, on the values as stored in the JPEG: PIL reads CMYK
   * JPEGs with Adobe's inverted polarity (c = 255 - stored), then computes (255 - k) - c * (255 -
   * k) / 255 with its rounded division by 255.
   */
  static int cmykToRgb(int storedColour, int storedBlack) {
    int product = (255 - storedColour) * storedBlack + 128;
    return storedBlack - (((product >> 8) + product) >> 8);
  }

  /** A colour sample composited over white with the given alpha, rounded to nearest. */
  static byte overWhite(int colour, int alpha, boolean premultiplied) {
    if (alpha == 255) {
      return (byte) colour;
    }
    if (premultiplied) {
      return (byte) Math.min(255, colour + 255 - alpha);
    }
    return (byte) ((colour * alpha + 255 * (255 - alpha) + 127) / 255);
  }

  private static ImageDecodeException unsupported(String sourceName, String detail) {
    return new ImageDecodeException(
        ImageDecodeException.Reason.UNSUPPORTED_FORMAT,
        sourceName,
        "unsupported pixels: " + detail);
  }
}
