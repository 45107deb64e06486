package dev.clipsearch.models.detect;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Multi-scale sliding windows: for each side fraction f of the image's shorter side, square windows
 * of side {@code f * short} stepped by {@code stride * side} across the image, the last row and
 * column flush with the far edges so that every pixel is covered; plus the whole image. Integer
 * pixel boxes, no duplicates, in a fixed order. Pure.
 */
public final class RegionProposals {

  private RegionProposals() {}

  /**
   * The windows over a {@code width} x {@code height} image.
   *
   * @param fractions window sides as fractions of the shorter side, each in (0, 1]
   * @param stride step as a fraction of the window side, in (0, 1]
   */
  public static List<Box> windows(int width, int height, double[] fractions, double stride) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + " x " + height);
    }
    if (!(stride > 0 && stride <= 1)) {
      throw new IllegalArgumentException("stride must be in (0, 1], got " + stride);
    }
    Set<Box> boxes = new LinkedHashSet<>();
    int shortSide = Math.min(width, height);
    for (double f : fractions) {
      if (!(f > 0 && f <= 1)) {
        throw new IllegalArgumentException("window fractions must be in (0, 1], got " + f);
      }
      int side = Math.max(1, (int) Math.round(f * shortSide));
      int step = Math.max(1, (int) Math.round(stride * side));
      for (int y : starts(height, side, step)) {
        for (int x : starts(width, side, step)) {
          boxes.add(new Box(x, y, x + side, y + side));
        }
      }
    }
    boxes.add(new Box(0, 0, width, height));
    return List.copyOf(boxes);
  }

  /** 0, step, 2 step, ... and finally extent - side, so the last window touches the edge. */
  private static List<Integer> starts(int extent, int side, int step) {
    List<Integer> starts = new ArrayList<>();
    int last = extent - side;
    for (int s = 0; s < last; s += step) {
      starts.add(s);
    }
    starts.add(Math.max(0, last));
    return starts;
  }
}
