package dev.clipsearch.models.image;

/** The containers {@link ImageDecoder} reads, recognised by their leading bytes, not by name. */
enum ImageFormat {
  JPEG("jpeg"),
  PNG("png"),
  GIF("gif"),
  WEBP("webp"),
  TIFF("tiff"),
  BMP("bmp");

  /** The format name the ImageIO plugins register under. */
  final String imageIoName;

  ImageFormat(String imageIoName) {
    this.imageIoName = imageIoName;
  }

  /** The format whose signature {@code data} starts with, or null when none matches. */
  static ImageFormat sniff(byte[] data) {
    if (startsWith(data, 0, 0xFF, 0xD8, 0xFF)) {
      return JPEG;
    }
    if (startsWith(data, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return PNG;
    }
    if (startsWith(data, 0, 'G', 'I', 'F', '8')
        && (startsWith(data, 4, '7', 'a') || startsWith(data, 4, '9', 'a'))) {
      return GIF;
    }
    if (startsWith(data, 0, 'R', 'I', 'F', 'F') && startsWith(data, 8, 'W', 'E', 'B', 'P')) {
      return WEBP;
    }
    if (startsWith(data, 0, 'I', 'I', 42, 0)
        || startsWith(data, 0, 'M', 'M', 0, 42)
        || startsWith(data, 0, 'I', 'I', 43, 0)
        || startsWith(data, 0, 'M', 'M', 0, 43)) {
      return TIFF;
    }
    if (startsWith(data, 0, 'B', 'M') && data.length >= 18 && isBmpInfoHeaderSize(data)) {
      return BMP;
    }
    return null;
  }

  /** A two-byte "BM" is weak evidence: also require a known DIB header size at offset 14. */
  private static boolean isBmpInfoHeaderSize(byte[] data) {
    int size =
        (data[14] & 0xFF)
            | (data[15] & 0xFF) << 8
            | (data[16] & 0xFF) << 16
            | (data[17] & 0xFF) << 24;
    return size == 12
        || size == 40
        || size == 52
        || size == 56
        || size == 64
        || size == 108
        || size == 124;
  }

  private static boolean startsWith(byte[] data, int offset, int... signature) {
    if (data.length < offset + signature.length) {
      return false;
    }
    for (int i = 0; i < signature.length; i++) {
      if ((data[offset + i] & 0xFF) != signature[i]) {
        return false;
      }
    }
    return true;
  }
}
