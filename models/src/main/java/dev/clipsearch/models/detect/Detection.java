package dev.clipsearch.models.detect;

import java.util.Objects;

/**
 * One object found in an image.
 *
 * @param label the query text it answers, as the caller gave it
 * @param labelIndex the query's position in the caller's list
 * @param score the detector's confidence in [0, 1] (OWL-ViT: a sigmoid; CLIP regions: a softmax
 *     probability), comparable only between detections of one detector
 * @param box where, in pixels of the upright original image
 */
public record Detection(String label, int labelIndex, float score, Box box) {

  public Detection {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(box, "box");
  }
}
