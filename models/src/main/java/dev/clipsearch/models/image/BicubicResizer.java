package dev.clipsearch.models.image;

/**
 * PIL's {@code Image.resize((width, height), BICUBIC)} to an exact size, aspect ratio not kept: the
 * same antialiased fixed-point arithmetic as {@link ClipImagePreprocessor} ({@link BicubicKernel}),
 * for models that stretch the whole image instead of resizing the short side and cropping
 * (OWL-ViT's 768 x 768 input).
 *
 * <p>As in Pillow: horizontal pass first, over only the input rows the vertical pass needs; each
 * pass rounded to 8 bits; a pass skipped when its dimension does not change. Gray images stay
 * single-channel. Pure and thread-safe.
 */
public final class BicubicResizer {

  private BicubicResizer() {}

  /**
   * The image resized to {@code width} x {@code height}.
   *
   * @throws IllegalArgumentException when a target side is not positive
   */
  public static DecodedImage resize(DecodedImage image, int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "target size must be positive, got " + width + " x " + height);
    }
    int channels = image.channels();
    byte[] pixels = image.pixels();
    int inWidth = image.width();
    int inHeight = image.height();
    BicubicKernel vertical =
        inHeight != height ? BicubicKernel.of(inHeight, height, 0, height) : null;
    int firstRow = vertical == null ? 0 : vertical.first[0];
    int endRow =
        vertical == null ? inHeight : vertical.first[height - 1] + vertical.taps[height - 1];

    byte[] rows;
    int rowStride;
    if (inWidth != width) {
      BicubicKernel horizontal = BicubicKernel.of(inWidth, width, 0, width);
      rows = new byte[(endRow - firstRow) * width * channels];
      int o = 0;
      int[] sums = new int[channels];
      for (int row = firstRow; row < endRow; row++) {
        int rowBase = row * inWidth * channels;
        for (int x = 0; x < width; x++) {
          int kernelBase = x * horizontal.stride;
          java.util.Arrays.fill(sums, BicubicKernel.HALF);
          int p = rowBase + horizontal.first[x] * channels;
          for (int t = 0; t < horizontal.taps[x]; t++) {
            int weight = horizontal.weights[kernelBase + t];
            for (int c = 0; c < channels; c++, p++) {
              sums[c] += (pixels[p] & 0xFF) * weight;
            }
          }
          for (int c = 0; c < channels; c++) {
            rows[o++] = (byte) BicubicKernel.clip8(sums[c]);
          }
        }
      }
      rowStride = width * channels;
    } else {
      rows = pixels;
      rowStride = inWidth * channels;
      firstRow = 0;
    }
    if (vertical == null) {
      return rows == pixels ? image : new DecodedImage(width, height, channels, rows);
    }
    byte[] out = new byte[width * height * channels];
    int[] sums = new int[rowStride];
    for (int y = 0; y < height; y++) {
      java.util.Arrays.fill(sums, BicubicKernel.HALF);
      int kernelBase = y * vertical.stride;
      int rowBase = (vertical.first[y] - firstRow) * rowStride;
      for (int t = 0; t < vertical.taps[y]; t++) {
        int weight = vertical.weights[kernelBase + t];
        int p = rowBase + t * rowStride;
        for (int i = 0; i < rowStride; i++) {
          sums[i] += (rows[p + i] & 0xFF) * weight;
        }
      }
      int o = y * rowStride;
      for (int i = 0; i < rowStride; i++) {
        out[o + i] = (byte) BicubicKernel.clip8(sums[i]);
      }
    }
    return new DecodedImage(width, height, channels, out);
  }
}
