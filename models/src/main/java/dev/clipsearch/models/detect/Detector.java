package dev.clipsearch.models.detect;

import dev.clipsearch.models.image.DecodedImage;
import java.util.List;

/**
 * Zero-shot object detection: free-text labels in, boxes with scores out. Two implementations:
 * {@link OwlVitDetector} (an OWL-ViT ONNX model) and {@link ClipRegionDetector} (any CLIP model on
 * cropped regions, no detection model needed). Implementations are thread-safe; close releases what
 * the detector itself opened.
 */
public interface Detector extends AutoCloseable {

  /** The most labels one call accepts. */
  int MAX_LABELS = 16;

  /**
   * Finds the labelled objects in an image.
   *
   * @param image the decoded, upright image (EXIF orientation applied, as {@link
   *     dev.clipsearch.models.image.ImageDecoder} returns it)
   * @param labels 1 to {@link #MAX_LABELS} non-blank texts
   * @return detections above the threshold, best first, boxes in pixels of {@code image}
   * @throws IllegalArgumentException for no labels, too many, or a blank one
   */
  List<Detection> detect(DecodedImage image, List<String> labels, DetectOptions options);

  /** What answers, for logs and API responses: the model id or the method. */
  String name();

  @Override
  void close();

  /** Checks the labels every detector accepts; the message names what is wrong. */
  static void checkLabels(List<String> labels) {
    if (labels == null || labels.isEmpty()) {
      throw new IllegalArgumentException("at least one label is needed");
    }
    if (labels.size() > MAX_LABELS) {
      throw new IllegalArgumentException(
          "at most " + MAX_LABELS + " labels are allowed, got " + labels.size());
    }
    for (int i = 0; i < labels.size(); i++) {
      if (labels.get(i) == null || labels.get(i).isBlank()) {
        throw new IllegalArgumentException("label " + (i + 1) + " is empty");
      }
    }
  }
}
