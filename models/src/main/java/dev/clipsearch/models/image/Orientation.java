package dev.clipsearch.models.image;

/**
 * Turns stored pixels upright according to an EXIF orientation, as PIL's {@code
 * ImageOps.exif_transpose} does: 2 mirror, 3 rotate 180, 4 flip, 5 transpose, 6 rotate 90
 * clockwise, 7 transverse, 8 rotate 90 counter-clockwise.
 */
final class Orientation {

  private Orientation() {}

  /** The upright image; the same instance for orientation 1 (or any unknown value). */
  static DecodedImage apply(DecodedImage image, int orientation) {
    if (orientation < 2 || orientation > 8) {
      return image;
    }
    int w = image.width();
    int h = image.height();
    int c = image.channels();
    boolean swap = orientation >= 5;
    int outW = swap ? h : w;
    int outH = swap ? w : h;
    byte[] src = image.pixels();
    byte[] out = new byte[src.length];
    // Output pixel (x, y) shows stored pixel (sx0 + x * dxX + y * dxY, sy0 + x * dyX + y * dyY).
    //                                   sx0     sy0     dxX dyX dxY dyY
    int[] walk =
        switch (orientation) {
          case 2 -> new int[] {w - 1, 0, -1, 0, 0, 1}; // mirror
          case 3 -> new int[] {w - 1, h - 1, -1, 0, 0, -1}; // rotate 180
          case 4 -> new int[] {0, h - 1, 1, 0, 0, -1}; // flip
          case 5 -> new int[] {0, 0, 0, 1, 1, 0}; // transpose
          case 6 -> new int[] {0, h - 1, 0, -1, 1, 0}; // rotate 90 clockwise
          case 7 -> new int[] {w - 1, h - 1, 0, -1, -1, 0}; // transverse
          default -> new int[] {w - 1, 0, 0, 1, -1, 0}; // 8: rotate 90 counter-clockwise
        };
    int sx0 = walk[0];
    int sy0 = walk[1];
    int dxX = walk[2];
    int dyX = walk[3];
    int dxY = walk[4];
    int dyY = walk[5];
    int stepX = (dyX * w + dxX) * c; // source step for one output pixel to the right
    int stepY = (dyY * w + dxY) * c; // source step for one output row down
    int rowStart = (sy0 * w + sx0) * c;
    int o = 0;
    for (int y = 0; y < outH; y++, rowStart += stepY) {
      int s = rowStart;
      for (int x = 0; x < outW; x++, s += stepX) {
        for (int k = 0; k < c; k++) {
          out[o++] = src[s + k];
        }
      }
    }
    return new DecodedImage(
        outW,
        outH,
        c,
        out,
        swap ? image.fullHeight() : image.fullWidth(),
        swap ? image.fullWidth() : image.fullHeight());
  }
}
