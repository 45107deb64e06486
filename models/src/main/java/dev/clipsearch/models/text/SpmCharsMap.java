package dev.clipsearch.models.text;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * SentencePiece's normalization table ({@code precompiled_charsmap}, the {@code Precompiled}
 * normalizer of a tokenizer.json): a darts-clone double-array trie over UTF-8 byte strings whose
 * values are offsets into a block of NUL-terminated replacement strings. The input is rewritten
 * left to right, each time replacing the longest prefix found in the trie, or copying one character
 * when none is, as SentencePiece's own normalizer does (nmt_nfkc: NFKC plus the removal of control
 * and zero-width characters and the mapping of odd spaces to U+0020).
 *
 * <p>Immutable and thread-safe.
 */
final class SpmCharsMap {

  private final int[] units;
  private final byte[] normalized;

  private SpmCharsMap(int[] units, byte[] normalized) {
    this.units = units;
    this.normalized = normalized;
  }

  /**
   * Parses the blob: a little-endian uint32 trie size in bytes, the trie's 32-bit units, then the
   * replacement strings.
   *
   * @throws IllegalArgumentException when the blob is not of that shape
   */
  static SpmCharsMap parse(byte[] blob) {
    if (blob.length < 4) {
      throw new IllegalArgumentException("precompiled_charsmap is " + blob.length + " bytes long");
    }
    ByteBuffer in = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    long trieBytes = Integer.toUnsignedLong(in.getInt());
    if (trieBytes % 4 != 0 || trieBytes == 0 || trieBytes > blob.length - 4L) {
      throw new IllegalArgumentException(
          "precompiled_charsmap declares a trie of " + trieBytes + " bytes in " + blob.length);
    }
    int[] units = new int[(int) (trieBytes / 4)];
    for (int i = 0; i < units.length; i++) {
      units[i] = in.getInt();
    }
    byte[] normalized = new byte[in.remaining()];
    in.get(normalized);
    return new SpmCharsMap(units, normalized);
  }

  /** {@code text} rewritten through the table. */
  String normalize(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 16);
    int pos = 0;
    while (pos < bytes.length) {
      long match = longestMatch(bytes, pos);
      if (match >= 0) {
        int length = (int) (match >>> 32);
        int offset = (int) match;
        int end = offset;
        while (end < normalized.length && normalized[end] != 0) {
          end++;
        }
        out.write(normalized, offset, end - offset);
        pos += length;
      } else {
        int length = utf8Length(bytes[pos]);
        length = Math.min(Math.max(length, 1), bytes.length - pos);
        out.write(bytes, pos, length);
        pos += length;
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** (length << 32 | value) of the longest key that prefixes bytes[from..], or -1 for none. */
  private long longestMatch(byte[] bytes, int from) {
    long best = -1;
    int node = offset(units[0]);
    for (int i = from; i < bytes.length; i++) {
      int label = bytes[i] & 0xFF;
      node ^= label;
      if (node < 0 || node >= units.length) {
        break;
      }
      int unit = units[node];
      if ((unit & 0x800000FF) != label) {
        break;
      }
      node ^= offset(unit);
      if (((unit >>> 8) & 1) == 1) {
        if (node < 0 || node >= units.length) {
          break;
        }
        best = ((long) (i - from + 1) << 32) | (units[node] & 0x7FFFFFFF);
      }
    }
    return best;
  }

  private static int offset(int unit) {
    return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
  }

  private static int utf8Length(byte lead) {
    int b = lead & 0xFF;
    if (b < 0x80) {
      return 1;
    } else if (b >= 0xF0) {
      return 4;
    } else if (b >= 0xE0) {
      return 3;
    } else if (b >= 0xC0) {
      return 2;
    }
    return 1;
  }
}
