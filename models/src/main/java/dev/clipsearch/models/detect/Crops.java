package dev.clipsearch.models.detect;

import dev.clipsearch.models.image.DecodedImage;
import java.util.Optional;

/**
 * The pixels under a detection's box, for searching by what was found ("shop the look"). Boxes are
 * not clipped by the detectors; this clips them to the image and widens them to whole pixels.
 */
public final class Crops {

  private Crops() {}

  /**
   * The part of {@code image} that {@code box} covers, clipped to the image and rounded outwards to
   * whole pixels; empty when nothing of the box lies inside the image.
   */
  public static Optional<DecodedImage> crop(DecodedImage image, Box box) {
    Box inside = box.clip(image.width(), image.height());
    int x0 = (int) Math.floor(inside.x0());
    int y0 = (int) Math.floor(inside.y0());
    int x1 = (int) Math.ceil(inside.x1());
    int y1 = (int) Math.ceil(inside.y1());
    if (x1 <= x0 || y1 <= y0) {
      return Optional.empty();
    }
    return Optional.of(ClipRegionDetector.crop(image, new Box(x0, y0, x1, y1)));
  }
}
