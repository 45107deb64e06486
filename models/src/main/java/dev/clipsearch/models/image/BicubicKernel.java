package dev.clipsearch.models.image;

/**
 * The weights of PIL's antialiased bicubic resampling along one axis, for a run of output
 * positions, in PIL's 8-bit fixed point. A port of the arithmetic in Pillow's {@code Resample.c}
 * ({@code precompute_coeffs} and {@code normalize_coeffs_8bpc}), so that results match it exactly:
 *
 * <ul>
 *   <li>the filter is the cubic convolution with a = -0.5 on [-2, 2], stretched by the scale when
 *       downscaling (support 2 * max(1, in / out)): every input pixel under it is averaged, which
 *       is the antialiasing;
 *   <li>output position i is centred at (i + 0.5) * in / out; its taps run from (int) (centre -
 *       support + 0.5) to (int) (centre + support + 0.5), clipped to the image;
 *   <li>weights are normalized to sum to 1 in double, then rounded half away from zero to 22
 *       fractional bits; a pass sums products in an int starting at one half, shifts right by 22
 *       and clamps to 0..255.
 * </ul>
 *
 * <p>Each output position only depends on its own index, so computing a run of them (the ones a
 * crop keeps) gives exactly the values of the full resize.
 */
final class BicubicKernel {

  /** Fractional bits of the fixed-point weights: 32 - 8 - 2 as in Pillow. */
  static final int PRECISION_BITS = 22;

  /** The rounding offset every sum starts from. */
  static final int HALF = 1 << (PRECISION_BITS - 1);

  private static final double SUPPORT = 2.0;

  /** First input index of each output position of the run. */
  final int[] first;

  /** Number of taps of each output position. */
  final int[] taps;

  /** Weights, {@link #stride} per output position, the first {@code taps[i]} of them used. */
  final int[] weights;

  /** Weights per output position in {@link #weights}. */
  final int stride;

  private BicubicKernel(int[] first, int[] taps, int[] weights, int stride) {
    this.first = first;
    this.taps = taps;
    this.weights = weights;
    this.stride = stride;
  }

  /** The weights that resize inSize to outSize, for output positions start to start + count - 1. */
  static BicubicKernel of(int inSize, int outSize, int start, int count) {
    // Pillow takes the input extent from a float box: (double) ((float) inSize - 0f).
    return of((double) (float) inSize, inSize, outSize, start, count);
  }

  /**
   * The weights that resize the first {@code extent} (fractional) of inSize input pixels to
   * outSize, as Pillow's resize with a box does: for a reduced JPEG decode, whose last pixel covers
   * a partial block.
   */
  static BicubicKernel of(double extent, int inSize, int outSize, int start, int count) {
    double scale = extent / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = SUPPORT * filterScale;
    int stride = (int) Math.ceil(support) * 2 + 1;
    int[] first = new int[count];
    int[] taps = new int[count];
    int[] weights = new int[count * stride];
    double[] exact = new double[stride];
    double inverseScale = 1.0 / filterScale;
    for (int i = 0; i < count; i++) {
      double center = (start + i + 0.5) * scale;
      int min = Math.max((int) (center - support + 0.5), 0);
      int max = Math.min((int) (center + support + 0.5), inSize);
      int n = max - min;
      double sum = 0.0;
      for (int x = 0; x < n; x++) {
        double w = filter((x + min - center + 0.5) * inverseScale);
        exact[x] = w;
        sum += w;
      }
      for (int x = 0; x < n; x++) {
        if (sum != 0.0) {
          exact[x] /= sum;
        }
        weights[i * stride + x] = toFixedPoint(exact[x]);
      }
      first[i] = min;
      taps[i] = n;
    }
    return new BicubicKernel(first, taps, weights, stride);
  }

  /** Cubic convolution kernel with a = -0.5 (Keys), evaluated as Pillow writes it. */
  static double filter(double x) {
    final double a = -0.5;
    if (x < 0.0) {
      x = -x;
    }
    if (x < 1.0) {
      return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * a;
    }
    return 0.0;
  }

  private static int toFixedPoint(double weight) {
    double scaled = weight * (1 << PRECISION_BITS);
    return weight < 0 ? (int) (-0.5 + scaled) : (int) (0.5 + scaled);
  }

  /** A fixed-point sum back to an 8-bit value: shift out the fraction, clamp to 0..255. */
  static int clip8(int sum) {
    int value = sum >> PRECISION_BITS;
    return value < 0 ? 0 : Math.min(value, 255);
  }
}
