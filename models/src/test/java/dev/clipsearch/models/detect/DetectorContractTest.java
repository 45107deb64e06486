package dev.clipsearch.models.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.image.DecodedImage;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Detector} promises, run against each implementation by a subclass: label
 * validation, best-first order, the threshold and the limit, per-label NMS, boxes in pixels of the
 * given image, gray images, determinism. Says nothing about detection quality (the OWL-ViT model
 * here has random weights); docs/benchmarks.md measures that.
 */
abstract class DetectorContractTest {

  static final List<String> LABELS = List.of("a lamp", "a couch", "a rug", "a red apple");

  /** The detector under test, shared by the subclass's tests. */
  abstract Detector detector();

  static DecodedImage noise(int width, int height, int channels, long seed) {
    byte[] pixels = new byte[width * height * channels];
    new Random(seed).nextBytes(pixels);
    return new DecodedImage(width, height, channels, pixels);
  }

  @Test
  void rejectsMissingTooManyAndBlankLabels() {
    DecodedImage image = noise(64, 48, 3, 1);
    DetectOptions options = DetectOptions.defaults();
    assertThrows(
        IllegalArgumentException.class, () -> detector().detect(image, List.of(), options));
    assertThrows(IllegalArgumentException.class, () -> detector().detect(image, null, options));
    List<String> seventeen = Collections.nCopies(Detector.MAX_LABELS + 1, "a lamp");
    assertThrows(
        IllegalArgumentException.class, () -> detector().detect(image, seventeen, options));
    IllegalArgumentException blank =
        assertThrows(
            IllegalArgumentException.class,
            () -> detector().detect(image, List.of("a lamp", "  "), options));
    assertTrue(blank.getMessage().contains("label 2"), blank.getMessage());
  }

  @Test
  void returnsBestFirstAboveTheThresholdWithinTheLimit() {
    DecodedImage image = noise(200, 150, 3, 2);
    List<Detection> all = detector().detect(image, LABELS, new DetectOptions(0f, 1000, false, 1f));
    assertFalse(all.isEmpty(), "threshold 0 keeps something");
    for (int i = 1; i < all.size(); i++) {
      assertTrue(all.get(i - 1).score() >= all.get(i).score(), "best first at " + i);
    }
    float median = all.get(all.size() / 2).score();
    List<Detection> above =
        detector().detect(image, LABELS, new DetectOptions(median, 1000, false, 1f));
    assertTrue(above.stream().allMatch(d -> d.score() > median), "threshold is exclusive");
    assertTrue(above.size() < all.size());
    assertEquals(
        3, detector().detect(image, LABELS, new DetectOptions(0f, 3, false, 1f)).size(), "limit");
  }

  @Test
  void perLabelNmsLeavesNoDuplicateBoxes() {
    DecodedImage image = noise(160, 120, 3, 3);
    float iou = 0.3f;
    List<Detection> kept = detector().detect(image, LABELS, new DetectOptions(0f, 1000, true, iou));
    for (int i = 0; i < kept.size(); i++) {
      for (int j = i + 1; j < kept.size(); j++) {
        Detection a = kept.get(i);
        Detection b = kept.get(j);
        assertFalse(
            a.labelIndex() == b.labelIndex() && a.box().iou(b.box()) > iou + 1e-9,
            "two " + a.label() + " boxes overlap: " + a.box() + " and " + b.box());
      }
    }
  }

  @Test
  void boxesAreInPixelsOfTheImageAndLabelsAreTheCallers() {
    for (int[] size : new int[][] {{300, 100}, {90, 240}}) {
      DecodedImage image = noise(size[0], size[1], 3, 4);
      for (Detection d :
          detector().detect(image, LABELS, DetectOptions.defaults().withThreshold(0f))) {
        double cx = (d.box().x0() + d.box().x1()) / 2;
        double cy = (d.box().y0() + d.box().y1()) / 2;
        assertTrue(cx >= 0 && cx <= size[0] && cy >= 0 && cy <= size[1], d + " outside the image");
        assertTrue(d.box().x1() > d.box().x0() && d.box().y1() > d.box().y0(), d + " is empty");
        assertEquals(LABELS.get(d.labelIndex()), d.label());
        assertTrue(d.score() >= 0 && d.score() <= 1, d + " score outside [0, 1]");
      }
    }
  }

  @Test
  void grayImagesWorkAndResultsAreDeterministic() {
    DecodedImage gray = noise(120, 90, 1, 5);
    DetectOptions options = DetectOptions.defaults().withThreshold(0f);
    List<Detection> once = detector().detect(gray, LABELS, options);
    assertFalse(once.isEmpty());
    assertEquals(once, detector().detect(gray, LABELS, options));
    assertFalse(detector().name().isBlank());
  }
}
