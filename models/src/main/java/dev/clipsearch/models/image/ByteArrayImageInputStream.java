package dev.clipsearch.models.image;

import java.util.Objects;
import javax.imageio.stream.ImageInputStreamImpl;

/** An ImageIO input stream over bytes already in memory: no copy, no cache file. */
final class ByteArrayImageInputStream extends ImageInputStreamImpl {

  private final byte[] data;

  ByteArrayImageInputStream(byte[] data) {
    this.data = data;
  }

  @Override
  public int read() {
    bitOffset = 0;
    return streamPos < data.length ? data[(int) streamPos++] & 0xFF : -1;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, buffer.length);
    bitOffset = 0;
    if (length == 0) {
      return 0;
    }
    if (streamPos >= data.length) {
      return -1;
    }
    int count = (int) Math.min(length, data.length - streamPos);
    System.arraycopy(data, (int) streamPos, buffer, offset, count);
    streamPos += count;
    return count;
  }

  @Override
  public long length() {
    return data.length;
  }
}
