package dev.clipsearch.models.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy non-maximum suppression and best-first ordering of detections. */
public final class NonMaxSuppression {

  /** Best score first; ties by the detector's own order (a stable sort). */
  public static final Comparator<Detection> BEST_FIRST =
      Comparator.comparingDouble((Detection d) -> -d.score());

  private NonMaxSuppression() {}

  /**
   * Keeps, per label, each detection that overlaps no better-scored kept detection of the same
   * label by more than {@code iou}; returns them best first.
   */
  public static List<Detection> perLabel(List<Detection> detections, double iou) {
    List<Detection> sorted = new ArrayList<>(detections);
    sorted.sort(BEST_FIRST);
    List<Detection> kept = new ArrayList<>();
    for (Detection d : sorted) {
      boolean duplicate = false;
      for (Detection k : kept) {
        if (k.labelIndex() == d.labelIndex() && k.box().iou(d.box()) > iou) {
          duplicate = true;
          break;
        }
      }
      if (!duplicate) {
        kept.add(d);
      }
    }
    return kept;
  }

  /** What a caller's options ask for: NMS if enabled, best first, at most maxDetections. */
  static List<Detection> finish(List<Detection> detections, DetectOptions options) {
    List<Detection> result;
    if (options.nms()) {
      result = perLabel(detections, options.nmsIou());
    } else {
      result = new ArrayList<>(detections);
      result.sort(BEST_FIRST);
    }
    return result.size() > options.maxDetections()
        ? List.copyOf(result.subList(0, options.maxDetections()))
        : List.copyOf(result);
  }
}
