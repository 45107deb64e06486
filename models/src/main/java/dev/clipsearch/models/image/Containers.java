package dev.clipsearch.models.image;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Walks over the structure of an encoded image without decoding it: is the pixel data all there,
 * which EXIF orientation does the image carry, and the JPEG without its ICC profile. Malformed
 * bytes never make a walk throw: they read as incomplete data, or as no orientation.
 *
 * <p>The completeness walks exist because ImageIO's decoders often hand back a partial image for a
 * file cut short (JPEG fills the missing blocks with grey, GIF with its background) instead of
 * failing, while the reference pipeline (PIL) refuses such files.
 *
 * <p>Over 400 lines because it holds one short walker per container format (JPEG, PNG, GIF, WebP,
 * BMP, and the TIFF structure of EXIF) over shared byte readers; each is read against its format's
 * specification, and splitting them by format would only spread the readers over more files.
 */
final class Containers {

  /** EXIF tag of the orientation, in the first IFD. */
  private static final int ORIENTATION_TAG = 0x0112;

  private Containers() {}

  /**
   * Null when the data the decoder reads is all present, otherwise what is missing. TIFF is left to
   * its reader, which fails on strips that lie beyond the end of the data.
   */
  static String missingData(ImageFormat format, byte[] data) {
    return switch (format) {
      case JPEG -> jpegMissingData(data);
      case PNG -> pngMissingData(data);
      case GIF -> gifMissingData(data);
      case WEBP -> webpMissingData(data);
      case BMP -> bmpMissingData(data);
      case TIFF -> null;
    };
  }

  /**
   * The EXIF orientation (1 to 8) the image carries: JPEG APP1, PNG eXIf, WebP EXIF chunk, or the
   * TIFF's own first IFD. 1 (upright) when there is none or it cannot be read.
   */
  static int exifOrientation(ImageFormat format, byte[] data) {
    return switch (format) {
      case JPEG -> jpegOrientation(data);
      case PNG -> pngOrientation(data);
      case WEBP -> webpOrientation(data);
      case TIFF -> tiffOrientation(data, 0, data.length);
      case GIF, BMP -> 1;
    };
  }

  // ---- JPEG

  /** Markers that stand alone, without a length: TEM, RST0-7, SOI, EOI. */
  private static boolean isStandaloneMarker(int marker) {
    return marker == 0x01 || (marker >= 0xD0 && marker <= 0xD9);
  }

  /**
   * Follows the segments and, after each start of scan, the entropy-coded data up to the next
   * marker, until the end-of-image marker. Like PIL, a file without it is refused: a progressive
   * JPEG cut between two scans decodes without any warning, only blurrier.
   */
  private static String jpegMissingData(byte[] data) {
    int n = data.length;
    int pos = 2;
    while (true) {
      while (pos < n && (data[pos] & 0xFF) != 0xFF) {
        pos++; // stray bytes between segments; libjpeg skips them too
      }
      while (pos < n && (data[pos] & 0xFF) == 0xFF) {
        pos++; // fill bytes
      }
      if (pos >= n) {
        return "the JPEG data ends before its end-of-image marker";
      }
      int marker = data[pos++] & 0xFF;
      if (marker == 0xD9) {
        return null;
      }
      if (isStandaloneMarker(marker)) {
        continue;
      }
      if (pos + 2 > n) {
        return "the JPEG data ends inside a segment header";
      }
      int length = u16be(data, pos);
      if (length < 2) {
        return "a JPEG segment has an impossible length " + length;
      }
      pos += length;
      if (pos > n) {
        return "the JPEG data ends inside a segment";
      }
      if (marker == 0xDA) {
        pos = skipEntropyCodedData(data, pos);
        if (pos < 0) {
          return "the JPEG data ends inside the compressed pixel data";
        }
      }
    }
  }

  /** Position of the marker that ends the entropy-coded data starting at pos, or -1. */
  private static int skipEntropyCodedData(byte[] data, int pos) {
    int n = data.length;
    while (pos < n) {
      if ((data[pos] & 0xFF) != 0xFF) {
        pos++;
        continue;
      }
      if (pos + 1 >= n) {
        return -1;
      }
      int next = data[pos + 1] & 0xFF;
      if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
        pos += 2; // stuffed zero byte or restart marker: still inside the scan
      } else if (next == 0xFF) {
        pos++; // fill byte before a marker
      } else {
        return pos;
      }
    }
    return -1;
  }

  private static int jpegOrientation(byte[] data) {
    int n = data.length;
    int pos = 2;
    while (pos + 4 <= n && (data[pos] & 0xFF) == 0xFF) {
      int marker = data[pos + 1] & 0xFF;
      if (marker == 0xFF) {
        pos++;
        continue;
      }
      if (isStandaloneMarker(marker)) {
        pos += 2;
        continue;
      }
      if (marker == 0xDA) {
        return 1; // EXIF comes before the pixel data
      }
      int length = u16be(data, pos + 2);
      int start = pos + 4;
      int end = Math.min(pos + 2 + length, n);
      if (length < 2) {
        return 1;
      }
      if (marker == 0xE1 && end - start > 6 && startsWith(data, start, "Exif\0")) {
        return tiffOrientation(data, start + 6, end);
      }
      pos += 2 + length;
    }
    return 1;
  }

  /**
   * The JPEG without its ICC profile segments (APP2 "ICC_PROFILE"), or the same array when it has
   * none. The profile is never applied (PIL does not apply it either), and without it ImageIO
   * converts YCbCr to RGB in libjpeg, with the same arithmetic, instead of in Java.
   */
  static byte[] jpegWithoutIccProfile(byte[] data) {
    int n = data.length;
    int pos = 2;
    int[] drop = new int[8];
    int dropped = 0;
    while (pos + 4 <= n && (data[pos] & 0xFF) == 0xFF) {
      int marker = data[pos + 1] & 0xFF;
      if (marker == 0xFF) {
        pos++;
        continue;
      }
      if (isStandaloneMarker(marker)) {
        pos += 2;
        continue;
      }
      if (marker == 0xDA) {
        break;
      }
      int length = u16be(data, pos + 2);
      if (length < 2 || pos + 2 + length > n) {
        break;
      }
      if (marker == 0xE2 && startsWith(data, pos + 4, "ICC_PROFILE\0")) {
        if (dropped == drop.length) {
          drop = Arrays.copyOf(drop, 2 * dropped);
        }
        drop[dropped++] = pos;
      }
      pos += 2 + length;
    }
    if (dropped == 0) {
      return data;
    }
    int removed = 0;
    for (int i = 0; i < dropped; i++) {
      removed += 2 + u16be(data, drop[i] + 2);
    }
    byte[] out = new byte[n - removed];
    int from = 0;
    int to = 0;
    for (int i = 0; i < dropped; i++) {
      int keep = drop[i] - from;
      System.arraycopy(data, from, out, to, keep);
      to += keep;
      from = drop[i] + 2 + u16be(data, drop[i] + 2);
    }
    System.arraycopy(data, from, out, to, n - from);
    return out;
  }

  // ---- PNG

  private static String pngMissingData(byte[] data) {
    int n = data.length;
    long chunk = 8;
    while (true) {
      if (chunk + 8 > n) {
        return "the PNG data ends before its IEND chunk";
      }
      if (startsWith(data, (int) chunk + 4, "IEND")) {
        return null;
      }
      long next = chunk + 12 + u32be(data, (int) chunk);
      if (next > n) {
        return "the PNG data ends inside its '" + chunkType(data, (int) chunk + 4) + "' chunk";
      }
      chunk = next;
    }
  }

  private static int pngOrientation(byte[] data) {
    int n = data.length;
    long pos = 8;
    while (pos + 8 <= n) {
      long length = u32be(data, (int) pos);
      long start = pos + 8;
      long end = start + length;
      if (end > n || startsWith(data, (int) pos + 4, "IEND")) {
        return 1;
      }
      if (startsWith(data, (int) pos + 4, "eXIf")) {
        return tiffOrientation(data, (int) start, (int) end);
      }
      pos = end + 4;
    }
    return 1;
  }

  private static String chunkType(byte[] data, int typeStart) {
    String type = new String(data, typeStart, 4, StandardCharsets.ISO_8859_1);
    return type.chars().allMatch(c -> c >= 0x21 && c <= 0x7E) ? type : "(unreadable)";
  }

  // ---- GIF

  /** Only the first frame is decoded, so only the first frame must be complete. */
  private static String gifMissingData(byte[] data) {
    int n = data.length;
    if (n < 13) {
      return "the GIF data ends inside its header";
    }
    int pos = 13 + colourTableLength(data[10]);
    while (pos < n) {
      int block = data[pos++] & 0xFF;
      if (block == 0x21) { // extension: label, then sub-blocks
        pos = skipSubBlocks(data, pos + 1);
      } else if (block == 0x2C) { // image descriptor, local colour table, LZW code size
        if (pos + 9 > n) {
          return "the GIF data ends inside the first frame's descriptor";
        }
        pos += 9 + colourTableLength(data[pos + 8]) + 1;
        return skipSubBlocks(data, pos) < 0 ? "the GIF data ends inside the first frame" : null;
      } else if (block == 0x3B) {
        return "the GIF has no frame";
      } else {
        return "the GIF has an unknown block 0x" + Integer.toHexString(block);
      }
      if (pos < 0) {
        return "the GIF data ends inside an extension block";
      }
    }
    return "the GIF data ends before its first frame";
  }

  private static int colourTableLength(byte flags) {
    return (flags & 0x80) == 0 ? 0 : 3 * (2 << (flags & 0x07));
  }

  /** Position after the terminating empty sub-block, or -1 when the data ends first. */
  private static int skipSubBlocks(byte[] data, int pos) {
    while (pos >= 0 && pos < data.length) {
      int size = data[pos] & 0xFF;
      pos += 1 + size;
      if (size == 0) {
        return pos;
      }
    }
    return -1;
  }

  // ---- WebP

  private static String webpMissingData(byte[] data) {
    long riffSize = u32le(data, 4);
    if (8 + riffSize > data.length) {
      return "the WebP data is cut short: its header announces "
          + (8 + riffSize)
          + " bytes, there are "
          + data.length;
    }
    return null;
  }

  private static int webpOrientation(byte[] data) {
    int n = data.length;
    long pos = 12;
    while (pos + 8 <= n) {
      long size = u32le(data, (int) pos + 4);
      long start = pos + 8;
      long end = Math.min(start + size, n);
      if (startsWith(data, (int) pos, "EXIF")) {
        if (end - start > 6 && startsWith(data, (int) start, "Exif\0")) {
          start += 6;
        }
        return tiffOrientation(data, (int) start, (int) end);
      }
      pos = start + size + (size & 1);
    }
    return 1;
  }

  // ---- BMP

  /** Uncompressed BMPs only; ImageIO's reader fails on compressed ones that are cut short. */
  private static String bmpMissingData(byte[] data) {
    long headerSize = u32le(data, 14);
    if (headerSize < 40 || data.length < 34) {
      return null;
    }
    long compression = u32le(data, 30);
    if (compression != 0 && compression != 3) {
      return null;
    }
    long width = Math.abs((int) u32le(data, 18));
    long height = Math.abs((int) u32le(data, 22));
    int bitsPerPixel = data[28] & 0xFF | (data[29] & 0xFF) << 8;
    long rowBytes = (bitsPerPixel * width + 31) / 32 * 4;
    long needed = u32le(data, 10) + rowBytes * height;
    if (needed > data.length) {
      return "the BMP pixel data is cut short: "
          + needed
          + " bytes needed, there are "
          + data.length;
    }
    return null;
  }

  // ---- EXIF (a TIFF structure)

  /** Orientation tag of the first IFD of the TIFF structure in data[start, end), or 1. */
  static int tiffOrientation(byte[] data, int start, int end) {
    if (end - start < 8) {
      return 1;
    }
    boolean littleEndian;
    if (data[start] == 'I' && data[start + 1] == 'I') {
      littleEndian = true;
    } else if (data[start] == 'M' && data[start + 1] == 'M') {
      littleEndian = false;
    } else {
      return 1;
    }
    if (u16(data, start + 2, littleEndian) != 42) {
      return 1;
    }
    long ifd = start + u32(data, start + 4, littleEndian);
    if (ifd + 2 > end) {
      return 1;
    }
    int entries = u16(data, (int) ifd, littleEndian);
    for (int i = 0; i < entries; i++) {
      long entry = ifd + 2 + 12L * i;
      if (entry + 12 > end) {
        return 1;
      }
      int e = (int) entry;
      if (u16(data, e, littleEndian) == ORIENTATION_TAG) {
        int type = u16(data, e + 2, littleEndian);
        long value =
            switch (type) {
              case 3 -> u16(data, e + 8, littleEndian); // SHORT, as the standard says
              case 4 -> u32(data, e + 8, littleEndian); // LONG, written by some tools
              default -> 1;
            };
        return value >= 1 && value <= 8 ? (int) value : 1;
      }
    }
    return 1;
  }

  // ---- bytes

  private static boolean startsWith(byte[] data, int offset, String ascii) {
    if (offset < 0 || offset + ascii.length() > data.length) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (data[offset + i] != (byte) ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int u16(byte[] data, int pos, boolean littleEndian) {
    return littleEndian ? (data[pos] & 0xFF) | (data[pos + 1] & 0xFF) << 8 : u16be(data, pos);
  }

  private static long u32(byte[] data, int pos, boolean littleEndian) {
    return littleEndian ? u32le(data, pos) : u32be(data, pos);
  }

  private static int u16be(byte[] data, int pos) {
    return (data[pos] & 0xFF) << 8 | (data[pos + 1] & 0xFF);
  }

  private static long u32be(byte[] data, int pos) {
    return (long) (data[pos] & 0xFF) << 24
        | (data[pos + 1] & 0xFF) << 16
        | (data[pos + 2] & 0xFF) << 8
        | (data[pos + 3] & 0xFF);
  }

  private static long u32le(byte[] data, int pos) {
    return (long) (data[pos + 3] & 0xFF) << 24
        | (data[pos + 2] & 0xFF) << 16
        | (data[pos + 1] & 0xFF) << 8
        | (data[pos] & 0xFF);
  }
}
