package dev.clipsearch.models.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.bench.DetectionMetrics.Scored;
import dev.clipsearch.models.detect.Box;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's metrics on cases worked out by hand. */
class DetectionMetricsTest {

  private static final Box A = new Box(0, 0, 10, 10);
  private static final Box B = new Box(50, 50, 60, 60);
  private static final Box NEAR_A = new Box(1, 0, 11, 10); // IoU 0.818 with A

  @Test
  void perfectDetectionsHaveApOne() {
    List<List<Box>> truth = List.of(List.of(A), List.of(B));
    List<Scored> detections = List.of(new Scored(0, 0.9f, NEAR_A), new Scored(1, 0.8f, B));
    assertEquals(1.0, DetectionMetrics.averagePrecision(detections, truth, 0.5), 1e-12);
  }

  @Test
  void aFalsePositiveRankedFirstHalvesTheFirstStep() {
    // ranks: FP, TP(A), TP(B): precision 0, 1/2, 2/3 at recall 0, 1/2, 1; envelope 2/3 for both
    List<List<Box>> truth = List.of(List.of(A), List.of(B));
    List<Scored> detections =
        List.of(new Scored(0, 0.95f, B), new Scored(0, 0.9f, A), new Scored(1, 0.8f, B));
    assertEquals(2.0 / 3, DetectionMetrics.averagePrecision(detections, truth, 0.5), 1e-12);
  }

  @Test
  void aDuplicateOfAMatchedBoxCountsAsFalsePositive() {
    List<List<Box>> truth = List.of(List.of(A), List.of(B));
    List<Scored> detections = List.of(new Scored(0, 0.9f, A), new Scored(0, 0.8f, NEAR_A));
    // recall reaches 1/2 only, at precision 1
    assertEquals(0.5, DetectionMetrics.averagePrecision(detections, truth, 0.5), 1e-12);
  }

  @Test
  void bestBoxHitsLookOnlyAtTheTopBoxOfImagesWhereTheQueryIsPresent() {
    List<List<Box>> truth = List.of(List.of(A), List.of(), List.of(B));
    List<Scored> detections =
        List.of(
            new Scored(0, 0.9f, NEAR_A),
            new Scored(1, 0.99f, A),
            new Scored(2, 0.7f, A),
            new Scored(2, 0.6f, B));
    assertArrayEquals(new int[] {1, 2}, DetectionMetrics.bestBoxHits(detections, truth, 0.5));
    assertTrue(
        Double.isNaN(DetectionMetrics.averagePrecision(detections, List.of(List.of()), 0.5)));
  }
}
