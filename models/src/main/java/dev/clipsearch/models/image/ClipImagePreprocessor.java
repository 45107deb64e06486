package dev.clipsearch.models.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * CLIP's image preprocessing, reproduced exactly: torchvision's {@code Resize(size, BICUBIC)} on a
 * PIL image, {@code CenterCrop(size)}, conversion to RGB, {@code ToTensor()} and {@code
 * Normalize(mean, std)}. With {@link PreprocessConfig.Resize#SQUASH} (SigLIP's image processor)
 * step 1 resizes the whole image to {@code size x size} instead and step 2 crops nothing; the
 * arithmetic is the same.
 *
 * <ol>
 *   <li>Resize so that the shorter side is {@code size} and the longer one {@code (int) (size *
 *       long / short)}, with PIL's antialiased bicubic filter ({@link BicubicKernel}): horizontal
 *       pass first, each pass rounded to 8 bits, a pass skipped when its dimension does not change.
 *   <li>Crop {@code size x size} at {@code round((w - size) / 2)}, {@code round((h - size) / 2)},
 *       rounding halves to even as Python does.
 *   <li>Gray images are resized single-channel and replicated to RGB only now, as PIL's {@code
 *       convert("RGB")} after the crop does.
 *   <li>Each 8-bit value v becomes {@code (v / 255f - mean[c]) / std[c]} in float32, CHW order.
 * </ol>
 *
 * <p>Only the output rows and columns that survive the crop are computed, and only the input rows
 * they need are resized horizontally; since every output position of a pass depends only on its own
 * index, this gives the same values as resizing everything and cropping after.
 *
 * <p>Pure and thread-safe: no state besides the configuration.
 */
public final class ClipImagePreprocessor {

  /**
   * Where an image of a given size goes: the resized size and the top-left corner of the crop in
   * the resized image.
   *
   * @param resizedWidth width after the resize
   * @param resizedHeight height after the resize
   * @param cropLeft first column kept
   * @param cropTop first row kept
   */
  public record Geometry(int resizedWidth, int resizedHeight, int cropLeft, int cropTop) {}

  private final PreprocessConfig config;
  private final int size;

  /** levels[c][v]: the normalized value of 8-bit level v in channel c. */
  private final float[][] levels;

  /** A preprocessor for the given model input size and normalization. */
  public ClipImagePreprocessor(PreprocessConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.size = config.size();
    float[] mean = config.mean();
    float[] std = config.std();
    this.levels = new float[3][256];
    for (int c = 0; c < 3; c++) {
      for (int v = 0; v < 256; v++) {
        levels[c][v] = (v / 255f - mean[c]) / std[c];
      }
    }
  }

  /** The configuration this preprocessor applies. */
  public PreprocessConfig config() {
    return config;
  }

  /**
   * The resize and crop an image of the given size goes through.
   *
   * @throws IllegalArgumentException when a side is not positive, or the long side would resize to
   *     more than {@link Integer#MAX_VALUE} pixels (a ratio of sides beyond about 9.6 million for
   *     size 224)
   */
  public Geometry geometry(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "image size must be positive, got " + width + " x " + height);
    }
    if (config.resize() == PreprocessConfig.Resize.SQUASH) {
      return new Geometry(size, size, 0, 0); // the whole image to the square: nothing is cropped
    }
    int shortSide = Math.min(width, height);
    int longSide = Math.max(width, height);
    // Python's int(size * long / short): exact product, one correctly rounded division, truncation
    double newLong = Math.floor((double) ((long) size * longSide) / shortSide);
    if (newLong > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "a "
              + width
              + " x "
              + height
              + " image is too elongated: its long side would be resized"
              + " to "
              + (long) newLong
              + " pixels");
    }
    int resizedWidth = width <= height ? size : (int) newLong;
    int resizedHeight = width <= height ? (int) newLong : size;
    return new Geometry(
        resizedWidth,
        resizedHeight,
        (int) Math.rint((resizedWidth - size) / 2.0),
        (int) Math.rint((resizedHeight - size) / 2.0));
  }

  /**
   * The model input for an image: {@code 3 * size * size} floats, RGB planes, row-major.
   *
   * @throws IllegalArgumentException for an image too elongated to resize, see {@link #geometry}
   */
  public float[] preprocess(DecodedImage image) {
    float[] tensor = new float[config.tensorLength()];
    preprocessInto(image, tensor, 0);
    return tensor;
  }

  /**
   * Writes the model input for an image into {@code target} at {@code offset}, for callers that
   * batch several images into one buffer.
   */
  public void preprocessInto(DecodedImage image, float[] target, int offset) {
    Objects.checkFromIndexSize(offset, config.tensorLength(), target.length);
    int width = image.width();
    int height = image.height();
    int channels = image.channels();
    // A reduced decode resizes and crops as its full-resolution image would (DecodedImage).
    Geometry geometry = geometry(image.fullWidth(), image.fullHeight());
    boolean reduced = image.reduced();
    double extentX = reduced ? (double) image.fullWidth() / image.reduction() : width;
    double extentY = reduced ? (double) image.fullHeight() / image.reduction() : height;
    boolean resizeX = reduced || geometry.resizedWidth() != width;
    boolean resizeY = reduced || geometry.resizedHeight() != height;

    // Input rows the kept output rows need (all of them feed the vertical pass, if any).
    BicubicKernel vertical =
        resizeY
            ? kernel(extentY, height, geometry.resizedHeight(), geometry.cropTop(), reduced)
            : null;
    int firstRow = resizeY ? vertical.first[0] : geometry.cropTop();
    int endRow =
        resizeY ? vertical.first[size - 1] + vertical.taps[size - 1] : geometry.cropTop() + size;

    // Horizontal pass, or just the column crop: rows [firstRow, endRow) of `rows` hold `size`
    // columns each, starting at `column0` with `rowStride` bytes per row.
    byte[] rows;
    int rowStride;
    int column0;
    int row0;
    if (resizeX) {
      BicubicKernel horizontal =
          kernel(extentX, width, geometry.resizedWidth(), geometry.cropLeft(), reduced);
      rows = new byte[(endRow - firstRow) * size * channels];
      resampleRows(image.pixels(), width, channels, firstRow, endRow, horizontal, rows);
      rowStride = size * channels;
      column0 = 0;
      row0 = firstRow;
    } else {
      rows = image.pixels();
      rowStride = width * channels;
      column0 = geometry.cropLeft() * channels;
      row0 = 0;
    }

    // Vertical pass, or just the row crop, straight into the normalized planes.
    int[] sums = new int[size * channels];
    for (int y = 0; y < size; y++) {
      if (resizeY) {
        Arrays.fill(sums, BicubicKernel.HALF);
        int kernelBase = y * vertical.stride;
        int rowBase = (vertical.first[y] - row0) * rowStride + column0;
        for (int t = 0; t < vertical.taps[y]; t++) {
          int weight = vertical.weights[kernelBase + t];
          int p = rowBase + t * rowStride;
          for (int i = 0; i < sums.length; i++) {
            sums[i] += (rows[p + i] & 0xFF) * weight;
          }
        }
        for (int i = 0; i < sums.length; i++) {
          sums[i] = BicubicKernel.clip8(sums[i]);
        }
      } else {
        int p = (geometry.cropTop() + y - row0) * rowStride + column0;
        for (int i = 0; i < sums.length; i++) {
          sums[i] = rows[p + i] & 0xFF;
        }
      }
      writeRow(sums, channels, y, target, offset);
    }
  }

  private BicubicKernel kernel(double extent, int inSize, int outSize, int start, boolean reduced) {
    return reduced
        ? BicubicKernel.of(extent, inSize, outSize, start, size)
        : BicubicKernel.of(inSize, outSize, start, size);
  }

  /** Horizontal pass over rows [firstRow, endRow) of the image into out, 8-bit rounded. */
  private void resampleRows(
      byte[] pixels,
      int width,
      int channels,
      int firstRow,
      int endRow,
      BicubicKernel kernel,
      byte[] out) {
    int o = 0;
    for (int row = firstRow; row < endRow; row++) {
      int rowBase = row * width * channels;
      for (int x = 0; x < size; x++) {
        int kernelBase = x * kernel.stride;
        int taps = kernel.taps[x];
        int p = rowBase + kernel.first[x] * channels;
        if (channels == 3) {
          int r = BicubicKernel.HALF;
          int g = BicubicKernel.HALF;
          int b = BicubicKernel.HALF;
          for (int t = 0; t < taps; t++, p += 3) {
            int weight = kernel.weights[kernelBase + t];
            r += (pixels[p] & 0xFF) * weight;
            g += (pixels[p + 1] & 0xFF) * weight;
            b += (pixels[p + 2] & 0xFF) * weight;
          }
          out[o++] = (byte) BicubicKernel.clip8(r);
          out[o++] = (byte) BicubicKernel.clip8(g);
          out[o++] = (byte) BicubicKernel.clip8(b);
        } else {
          int v = BicubicKernel.HALF;
          for (int t = 0; t < taps; t++, p++) {
            v += (pixels[p] & 0xFF) * kernel.weights[kernelBase + t];
          }
          out[o++] = (byte) BicubicKernel.clip8(v);
        }
      }
    }
  }

  /** One output row of 8-bit values (gray or RGB interleaved) into the three planes. */
  private void writeRow(int[] values, int channels, int y, float[] target, int offset) {
    int plane = size * size;
    int base = offset + y * size;
    float[] red = levels[0];
    float[] green = levels[1];
    float[] blue = levels[2];
    if (channels == 3) {
      for (int x = 0, i = 0; x < size; x++, i += 3) {
        target[base + x] = red[values[i]];
        target[base + plane + x] = green[values[i + 1]];
        target[base + 2 * plane + x] = blue[values[i + 2]];
      }
    } else {
      for (int x = 0; x < size; x++) {
        int v = values[x];
        target[base + x] = red[v];
        target[base + plane + x] = green[v];
        target[base + 2 * plane + x] = blue[v];
      }
    }
  }
}
