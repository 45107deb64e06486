package dev.clipsearch.searcher.service;

import dev.clipsearch.models.detect.Box;
import java.util.List;
import java.util.Objects;

/**
 * One object found in a photo.
 *
 * @param label the label it answers, as the caller gave it
 * @param score the detector's confidence in [0, 1], comparable only within one detector
 * @param box where, in pixels of the upright original; not clipped to the image
 * @param hits the best products for the box's crop, best first; {@code null} when no search was
 *     asked for
 */
public record DetectedObject(String label, double score, Box box, List<Hit> hits) {

  public DetectedObject {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(box, "box");
    hits = hits == null ? null : List.copyOf(hits);
  }
}
