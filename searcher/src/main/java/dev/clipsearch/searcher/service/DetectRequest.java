package dev.clipsearch.searcher.service;

import dev.clipsearch.models.detect.DetectOptions;
import dev.clipsearch.models.detect.Detector;
import java.util.List;
import java.util.Objects;

/**
 * One detection request.
 *
 * @param image the encoded image file as uploaded
 * @param labels what to look for: 1 to {@link Detector#MAX_LABELS} non-blank texts
 * @param options threshold, most detections, non-maximum suppression
 * @param cropSearch when not {@code null}, each detection's crop is searched by image with these
 *     options and its hits attached; {@code null}: no search
 */
public record DetectRequest(
    byte[] image, List<String> labels, DetectOptions options, SearchOptions cropSearch) {

  public DetectRequest {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(options, "options");
    labels = List.copyOf(labels);
    Detector.checkLabels(labels);
  }
}
