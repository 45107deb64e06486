package dev.clipsearch.models.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ContainersTest {

  /** A TIFF header and one IFD with one entry: tag, type, count 1, value. */
  private static byte[] tiff(ByteOrder order, int tag, int type, int value) {
    ByteBuffer b = ByteBuffer.allocate(8 + 2 + 12 + 4).order(order);
    b.put(order == ByteOrder.LITTLE_ENDIAN ? new byte[] {'I', 'I'} : new byte[] {'M', 'M'});
    b.putShort((short) 42).putInt(8);
    b.putShort((short) 1).putShort((short) tag).putShort((short) type).putInt(1);
    if (type == 3) {
      b.putShort((short) value).putShort((short) 0);
    } else {
      b.putInt(value);
    }
    b.putInt(0);
    return b.array();
  }

  @Test
  void readsTheOrientationInBothByteOrdersAsShortOrLong() {
    assertEquals(6, orientation(tiff(ByteOrder.BIG_ENDIAN, 0x0112, 3, 6)));
    assertEquals(8, orientation(tiff(ByteOrder.LITTLE_ENDIAN, 0x0112, 3, 8)));
    assertEquals(3, orientation(tiff(ByteOrder.LITTLE_ENDIAN, 0x0112, 4, 3)));
  }

  @Test
  void ignoresOtherTagsImpossibleValuesAndBrokenStructures() {
    assertEquals(1, orientation(tiff(ByteOrder.BIG_ENDIAN, 0x0110, 3, 6)), "another tag");
    assertEquals(1, orientation(tiff(ByteOrder.BIG_ENDIAN, 0x0112, 3, 9)), "no orientation 9");
    assertEquals(1, orientation(tiff(ByteOrder.BIG_ENDIAN, 0x0112, 2, 6)), "ASCII type");
    byte[] farIfd = tiff(ByteOrder.BIG_ENDIAN, 0x0112, 3, 6);
    farIfd[4] = 0x7F; // IFD offset far beyond the data
    assertEquals(1, orientation(farIfd));
    byte[] cut = Arrays.copyOf(tiff(ByteOrder.LITTLE_ENDIAN, 0x0112, 3, 6), 15);
    assertEquals(1, orientation(cut), "entry cut short");
    assertEquals(1, orientation(new byte[] {'X', 'X', 0, 42, 0, 0, 0, 8}), "no byte order mark");
  }

  private static int orientation(byte[] tiff) {
    return Containers.tiffOrientation(tiff, 0, tiff.length);
  }

  @Test
  void findsExifInAJpegApp1Segment() {
    byte[] exif = tiff(ByteOrder.BIG_ENDIAN, 0x0112, 3, 5);
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
    jpeg.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8});
    segment(jpeg, 0xE0, "JFIF\0".getBytes()); // another segment first
    ByteArrayOutputStream app1 = new ByteArrayOutputStream();
    app1.writeBytes("Exif\0\0".getBytes());
    app1.writeBytes(exif);
    segment(jpeg, 0xE1, app1.toByteArray());
    jpeg.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});
    assertEquals(5, Containers.exifOrientation(ImageFormat.JPEG, jpeg.toByteArray()));
  }

  private static void segment(ByteArrayOutputStream out, int marker, byte[] payload) {
    out.write(0xFF);
    out.write(marker);
    out.write((payload.length + 2) >> 8);
    out.write((payload.length + 2) & 0xFF);
    out.writeBytes(payload);
  }

  @Test
  void removesIccProfileSegmentsAndNothingElse() {
    ByteArrayOutputStream with = new ByteArrayOutputStream();
    ByteArrayOutputStream without = new ByteArrayOutputStream();
    for (ByteArrayOutputStream out : new ByteArrayOutputStream[] {with, without}) {
      out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8});
      segment(out, 0xE0, "JFIF\0".getBytes());
    }
    segment(with, 0xE2, "ICC_PROFILE\0\1\2profile part one".getBytes());
    segment(with, 0xE2, "ICC_PROFILE\0\2\2profile part two".getBytes());
    for (ByteArrayOutputStream out : new ByteArrayOutputStream[] {with, without}) {
      segment(out, 0xE2, "FPXR\0 other APP2".getBytes()); // not a profile: kept
      segment(out, 0xDA, new byte[] {1, 2, 3});
      out.writeBytes(new byte[] {5, 6, (byte) 0xFF, (byte) 0xD9});
    }
    assertArrayEquals(without.toByteArray(), Containers.jpegWithoutIccProfile(with.toByteArray()));
    byte[] none = without.toByteArray();
    assertSame(none, Containers.jpegWithoutIccProfile(none), "no profile: no copy");
  }

  @Test
  void jpegCompletenessFollowsTheScanToTheEndMarker() {
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
    jpeg.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8});
    segment(jpeg, 0xDA, new byte[] {1, 2, 3});
    // entropy-coded data with a stuffed 0xFF00, a restart marker and fill bytes
    jpeg.writeBytes(new byte[] {9, (byte) 0xFF, 0, 7, (byte) 0xFF, (byte) 0xD3, 4});
    byte[] noEnd = jpeg.toByteArray();
    jpeg.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xD9});
    assertNull(Containers.missingData(ImageFormat.JPEG, jpeg.toByteArray()));
    assertNotNull(Containers.missingData(ImageFormat.JPEG, noEnd));
  }
}
