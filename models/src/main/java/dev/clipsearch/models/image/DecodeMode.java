package dev.clipsearch.models.image;

/**
 * How photos are decoded for the image tower. {@code EXACT} decodes at full size, as the CLIP
 * reference pipeline does. {@code FAST} decodes a large JPEG at libjpeg-turbo's smallest DCT scale
 * (1/2, 1/4, 1/8) that keeps its short side at least {@link #FAST_MARGIN} times the model's input
 * size, then preprocesses as usual, with the full-size geometry: several times faster on camera
 * photos, at a measured price of under one 8-bit level on average per tensor value (see
 * docs/benchmarks.md).
 */
public enum DecodeMode {
  EXACT,
  FAST;

  /**
   * The short side a fast decode keeps, as a multiple of the input size. Measured on camera-sized
   * JPEGs at each margin's worst case (the reduced short side exactly at the margin): 1.0 gives a
   * per-image mean deviation up to 1.6 levels, 1.25 up to 0.94, 1.5 up to 0.68, 2.0 up to 0.45.
   */
  public static final double FAST_MARGIN = 1.5;

  /** The decoder for this mode, for a model whose input is {@code inputSize} pixels square. */
  public ImageDecoder decoder(ImageDecoder decoder, int inputSize) {
    return decoder(decoder, inputSize, 0);
  }

  /**
   * The decoder for this mode, for a model whose input is {@code inputSize} pixels square and
   * thumbnails whose long side is {@code thumbnailSize} (0 for none): a fast decode keeps both.
   */
  public ImageDecoder decoder(ImageDecoder decoder, int inputSize, int thumbnailSize) {
    return switch (this) {
      case EXACT -> decoder.reducedTo(0);
      case FAST ->
          decoder.reducedTo(Math.max((int) Math.ceil(inputSize * FAST_MARGIN), thumbnailSize));
    };
  }

  /** "exact" or "fast", in any case. */
  public static DecodeMode parse(String text) {
    for (DecodeMode mode : values()) {
      if (mode.name().equalsIgnoreCase(text.strip())) {
        return mode;
      }
    }
    throw new IllegalArgumentException("decode mode must be exact or fast, got '" + text + "'");
  }

  /** The mode as the command line spells it. */
  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
