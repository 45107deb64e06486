package dev.clipsearch.models.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Hugging Face's {@code OwlViTImageProcessor.post_process_object_detection}, for one image: per
 * patch, the best query's logit through a sigmoid is the score and that query the label; the
 * predicted box (centre x, centre y, width, height, relative) becomes corners scaled to the
 * original image's size; detections at or below the threshold are dropped. Results come in patch
 * order, as the reference returns them; {@link NonMaxSuppression#finish} orders them afterwards.
 *
 * <p>Padded queries (see {@link OwlVitQueries#padded}) never win: their logits count as float32's
 * lowest value, as the model's own query mask makes them. Pure and thread-safe.
 */
public final class OwlVitPostprocessor {

  private OwlVitPostprocessor() {}

  /**
   * Detections of one image.
   *
   * @param logits {@code patches * queries} values, row-major
   * @param boxes {@code patches * 4} values (cx, cy, w, h) relative to the image
   * @param padded per query, whether it is padding; null for none
   * @param labels the query texts, one per query
   * @param width the upright original image's width in pixels
   * @param height its height
   * @param threshold scores strictly above it are kept
   */
  public static List<Detection> postProcess(
      float[] logits,
      float[] boxes,
      boolean[] padded,
      List<String> labels,
      int width,
      int height,
      float threshold) {
    int queries = labels.size();
    if (queries == 0 || logits.length % queries != 0) {
      throw new IllegalArgumentException(
          logits.length + " logits do not divide into " + queries + " queries");
    }
    int patches = logits.length / queries;
    if (boxes.length != patches * 4) {
      throw new IllegalArgumentException(
          boxes.length + " box values for " + patches + " patches, expected " + patches * 4);
    }
    List<Detection> detections = new ArrayList<>();
    for (int p = 0; p < patches; p++) {
      int best = 0;
      float bestLogit = Float.NEGATIVE_INFINITY;
      for (int q = 0; q < queries; q++) {
        float logit = padded != null && padded[q] ? -Float.MAX_VALUE : logits[p * queries + q];
        if (logit > bestLogit) { // the first maximum, as argmax
          bestLogit = logit;
          best = q;
        }
      }
      // float32 as the reference computes it, so that "above the threshold" is exact
      float score = (float) (1.0 / (1.0 + Math.exp(-(double) bestLogit)));
      if (score > threshold) {
        double cx = boxes[p * 4];
        double cy = boxes[p * 4 + 1];
        double w = boxes[p * 4 + 2];
        double h = boxes[p * 4 + 3];
        Box box = Box.ofCenter(cx * width, cy * height, w * width, h * height);
        detections.add(new Detection(labels.get(best), best, score, box));
      }
    }
    return detections;
  }
}
