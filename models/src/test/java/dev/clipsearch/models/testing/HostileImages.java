package dev.clipsearch.models.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/**
 * Images generated for tests of the refusal paths, small on disk however large their pixel count,
 * shared with the indexer's and searcher's tests through the test-jar.
 */
public final class HostileImages {

  private HostileImages() {}

  /**
   * A valid all-black 8-bit grayscale PNG of the given size, written by hand so that a 1 x
   * 10,000,000 image costs a few kilobytes and no {@code BufferedImage}.
   */
  public static byte[] grayPng(int width, int height) {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteBuffer header = ByteBuffer.allocate(13);
    header.putInt(width).putInt(height).put((byte) 8).put((byte) 0); // 8-bit gray
    header.put((byte) 0).put((byte) 0).put((byte) 0); // deflate, adaptive filters, no interlace
    chunk(png, "IHDR", header.array());
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed)) {
      byte[] row = new byte[1 + width]; // filter type 0, then the row's zero pixels
      for (int y = 0; y < height; y++) {
        deflate.write(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    chunk(png, "IDAT", compressed.toByteArray());
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  /**
   * A PNG that decodes (10 megapixels, under the default 64 M limit) but is too elongated for the
   * CLIP preprocessor to resize: 1 x 10,000,000, whose long side would resize to 2.24e9 pixels at
   * 224.
   */
  public static byte[] tooElongatedPng() {
    return grayPng(1, 10_000_000);
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
