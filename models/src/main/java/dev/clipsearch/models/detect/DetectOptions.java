package dev.clipsearch.models.detect;

/**
 * What a caller asks of one detection.
 *
 * @param threshold keep detections whose score is above this, in [0, 1]
 * @param maxDetections return at most this many, best first
 * @param nms whether overlapping detections of one label are reduced to the best one (per-label
 *     greedy non-maximum suppression). Hugging Face's OWL-ViT post-processing has none; clipsearch
 *     applies it by default, since a shopper wants one box per object
 * @param nmsIou two boxes of one label overlapping more than this (intersection over union) are
 *     duplicates
 */
public record DetectOptions(float threshold, int maxDetections, boolean nms, float nmsIou) {

  /** The threshold OWL-ViT's examples use. */
  public static final float DEFAULT_THRESHOLD = 0.1f;

  /** Enough boxes for a busy room photo. */
  public static final int DEFAULT_MAX_DETECTIONS = 50;

  /** A common NMS overlap for detectors. */
  public static final float DEFAULT_NMS_IOU = 0.3f;

  public DetectOptions {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
    }
    if (maxDetections < 1) {
      throw new IllegalArgumentException("maxDetections must be >= 1, got " + maxDetections);
    }
    if (!(nmsIou > 0 && nmsIou <= 1)) {
      throw new IllegalArgumentException("nmsIou must be in (0, 1], got " + nmsIou);
    }
  }

  /** Threshold 0.1, 50 detections, per-label NMS at IoU 0.3. */
  public static DetectOptions defaults() {
    return new DetectOptions(DEFAULT_THRESHOLD, DEFAULT_MAX_DETECTIONS, true, DEFAULT_NMS_IOU);
  }

  public DetectOptions withThreshold(float value) {
    return new DetectOptions(value, maxDetections, nms, nmsIou);
  }

  public DetectOptions withMaxDetections(int value) {
    return new DetectOptions(threshold, value, nms, nmsIou);
  }

  public DetectOptions withNms(boolean value) {
    return new DetectOptions(threshold, maxDetections, value, nmsIou);
  }
}
