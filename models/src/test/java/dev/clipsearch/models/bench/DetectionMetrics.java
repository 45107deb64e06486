package dev.clipsearch.models.bench;

import dev.clipsearch.models.detect.Box;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Detection quality for one query over a set of images: average precision at an IoU threshold
 * (PASCAL VOC's all-point interpolation: the area under the precision envelope, each ground-truth
 * box matched at most once, best-scored detections first) and the rate at which the best-scored box
 * of an image where the query is present overlaps a ground-truth box at that threshold.
 */
final class DetectionMetrics {

  /** One scored box of the query in one image. */
  record Scored(int image, float score, Box box) {}

  private DetectionMetrics() {}

  /**
   * Average precision of {@code detections} against {@code truth} (per image, the query's boxes).
   * NaN when the query is present nowhere.
   */
  static double averagePrecision(List<Scored> detections, List<List<Box>> truth, double iou) {
    int positives = truth.stream().mapToInt(List::size).sum();
    if (positives == 0) {
      return Double.NaN;
    }
    List<Scored> sorted = new ArrayList<>(detections);
    sorted.sort(Comparator.comparingDouble((Scored s) -> -s.score()));
    List<boolean[]> used = new ArrayList<>();
    for (List<Box> boxes : truth) {
      used.add(new boolean[boxes.size()]);
    }
    int n = sorted.size();
    double[] precision = new double[n];
    double[] recall = new double[n];
    int tp = 0;
    for (int i = 0; i < n; i++) {
      Scored d = sorted.get(i);
      List<Box> boxes = truth.get(d.image());
      int best = -1;
      double bestIou = iou;
      for (int j = 0; j < boxes.size(); j++) {
        double overlap = boxes.get(j).iou(d.box());
        if (overlap >= bestIou && !used.get(d.image())[j]) {
          best = j;
          bestIou = overlap;
        }
      }
      if (best >= 0) {
        used.get(d.image())[best] = true;
        tp++;
      }
      precision[i] = (double) tp / (i + 1);
      recall[i] = (double) tp / positives;
    }
    double ap = 0;
    double previousRecall = 0;
    for (int i = 0; i < n; i++) {
      if (recall[i] > previousRecall) {
        double envelope = 0;
        for (int j = i; j < n; j++) {
          envelope = Math.max(envelope, precision[j]);
        }
        ap += (recall[i] - previousRecall) * envelope;
        previousRecall = recall[i];
      }
    }
    return ap;
  }

  /**
   * Over the images where the query is present: hits (the best-scored detection overlaps one of its
   * boxes at {@code iou} or more) and how many such images there are.
   */
  static int[] bestBoxHits(List<Scored> detections, List<List<Box>> truth, double iou) {
    int hits = 0;
    int present = 0;
    for (int image = 0; image < truth.size(); image++) {
      if (truth.get(image).isEmpty()) {
        continue;
      }
      present++;
      Scored best = null;
      for (Scored d : detections) {
        if (d.image() == image && (best == null || d.score() > best.score())) {
          best = d;
        }
      }
      if (best != null) {
        for (Box box : truth.get(image)) {
          if (box.iou(best.box()) >= iou) {
            hits++;
            break;
          }
        }
      }
    }
    return new int[] {hits, present};
  }
}
