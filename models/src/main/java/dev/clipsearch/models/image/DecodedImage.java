package dev.clipsearch.models.image;

/**
 * 8-bit pixels after decoding, before resizing: interleaved, row-major, {@code channels} bytes per
 * pixel, either 1 (grayscale, kept single-channel through resize and crop as the CLIP reference
 * does) or 3 (RGB). Transparency has already been composited over white.
 *
 * @param width width in pixels
 * @param height height in pixels
 * @param channels 1 or 3
 * @param pixels {@code width * height * channels} bytes
 */
public record DecodedImage(int width, int height, int channels, byte[] pixels) {

  public DecodedImage {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
    }
    if ((long) width * height * channels != pixels.length) {
      throw new IllegalArgumentException(
          "expected " + (long) width * height * channels + " bytes, got " + pixels.length);
    }
  }
}
