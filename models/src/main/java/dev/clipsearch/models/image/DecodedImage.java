package dev.clipsearch.models.image;

/**
 * 8-bit pixels after decoding, before resizing: interleaved, row-major, {@code channels} bytes per
 * pixel, either 1 (grayscale, kept single-channel through resize and crop as the CLIP reference
 * does) or 3 (RGB). Transparency has already been composited over white.
 *
 * <p>A JPEG decoded at a reduced DCT scale (the {@code fast} decode mode) keeps the upright size it
 * has at full resolution in {@code fullWidth} and {@code fullHeight}: the preprocessor takes its
 * resize and crop geometry from that size, so that a reduced image lands on the same output pixels
 * as the full one. Otherwise they equal {@code width} and {@code height}.
 *
 * @param width width in pixels
 * @param height height in pixels
 * @param channels 1 or 3
 * @param pixels {@code width * height * channels} bytes
 * @param fullWidth the width at full resolution
 * @param fullHeight the height at full resolution
 */
public record DecodedImage(
    int width, int height, int channels, byte[] pixels, int fullWidth, int fullHeight) {

  public DecodedImage {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
    }
    if ((long) width * height * channels != pixels.length) {
      throw new IllegalArgumentException(
          "expected " + (long) width * height * channels + " bytes, got " + pixels.length);
    }
    if (fullWidth < width || fullHeight < height) {
      throw new IllegalArgumentException(
          "full size " + fullWidth + " x " + fullHeight + " below " + width + " x " + height);
    }
  }

  /** An image decoded at full resolution. */
  public DecodedImage(int width, int height, int channels, byte[] pixels) {
    this(width, height, channels, pixels, width, height);
  }

  /** Whether the image was decoded at a reduced scale. */
  public boolean reduced() {
    return fullWidth != width || fullHeight != height;
  }

  /**
   * How many full-resolution pixels one of these pixels spans on a side: 1, or the DCT scale
   * denominator (2, 4, 8) of a reduced decode. Recovered from the short sides, which a reduced
   * decode keeps at 224 pixels and more, so that the rounding up of a partial block cannot blur it.
   */
  public int reduction() {
    if (!reduced()) {
      return 1;
    }
    return (int) Math.round((double) Math.min(fullWidth, fullHeight) / Math.min(width, height));
  }
}
