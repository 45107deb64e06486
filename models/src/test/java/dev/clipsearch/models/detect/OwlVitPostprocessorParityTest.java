package dev.clipsearch.models.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden test of OWL-ViT post-processing against a numpy port of transformers' {@code
 * post_process_object_detection} (models/generator/owlvit_fixtures.py), on fixed logits and boxes:
 * same detections in the same (patch) order, same labels, scores within 1e-6, box corners within
 * 1e-3 pixels; then clipsearch's per-label NMS against the script's greedy NMS.
 */
class OwlVitPostprocessorParityTest {

  private static final double SCORE_TOLERANCE = 1e-6;
  private static final double BOX_TOLERANCE = 1e-3;

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (JsonNode c : OwlVitFixtures.json("postprocess.json").get("cases")) {
      cases.add(Arguments.of(c.get("name").asText(), c));
    }
    return cases.stream();
  }

  private static List<String> labels(int queries) {
    List<String> labels = new ArrayList<>();
    for (int q = 0; q < queries; q++) {
      labels.add("query " + q);
    }
    return labels;
  }

  private static List<Detection> run(JsonNode c) {
    int queries = c.get("queries").asInt();
    boolean[] padded = new boolean[queries];
    c.get("masked_queries").forEach(q -> padded[q.asInt()] = true);
    return OwlVitPostprocessor.postProcess(
        OwlVitFixtures.floats(c.get("logits")),
        OwlVitFixtures.floats(c.get("pred_boxes")),
        padded,
        labels(queries),
        c.get("target_size").get(1).asInt(),
        c.get("target_size").get(0).asInt(),
        (float) c.get("threshold").asDouble());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesTheReferencePostProcessing(String name, JsonNode c) {
    List<Detection> actual = run(c);
    JsonNode expected = c.get("expected");
    assertEquals(expected.get("scores").size(), actual.size(), name + ": detections kept");
    for (int i = 0; i < actual.size(); i++) {
      Detection d = actual.get(i);
      assertEquals(expected.get("labels").get(i).asInt(), d.labelIndex(), name + ": label " + i);
      assertEquals("query " + d.labelIndex(), d.label(), name + ": label text " + i);
      assertEquals(
          expected.get("scores").get(i).asDouble(), d.score(), SCORE_TOLERANCE, name + ": " + i);
      JsonNode box = expected.get("boxes").get(i);
      double[] corners = {d.box().x0(), d.box().y0(), d.box().x1(), d.box().y1()};
      for (int k = 0; k < 4; k++) {
        assertEquals(box.get(k).asDouble(), corners[k], BOX_TOLERANCE, name + ": box " + i);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void perLabelNmsKeepsWhatTheReferenceNmsKeeps(String name, JsonNode c) {
    List<Detection> all = run(c);
    List<Detection> kept = NonMaxSuppression.perLabel(all, c.get("nms_iou").asDouble());
    JsonNode expected = c.get("expected_nms");
    assertEquals(expected.size(), kept.size(), name + ": kept after NMS");
    for (int i = 0; i < kept.size(); i++) {
      assertEquals(all.get(expected.get(i).asInt()), kept.get(i), name + ": NMS rank " + i);
    }
    if (!all.isEmpty()) {
      assertTrue(kept.size() < all.size(), name + ": the fixture's duplicate cluster was reduced");
    }
  }

  @Test
  void paddedQueriesNeverWinEvenWithTheHighestLogit() {
    List<Detection> detections =
        OwlVitPostprocessor.postProcess(
            new float[] {9f, 1f},
            new float[] {0.5f, 0.5f, 0.25f, 0.5f},
            new boolean[] {true, false},
            List.of("pad", "lamp"),
            100,
            50,
            0f);
    assertEquals(1, detections.size());
    assertEquals("lamp", detections.get(0).label());
    assertEquals(1.0 / (1.0 + Math.exp(-1.0)), detections.get(0).score(), 1e-6);
    assertEquals(new Box(37.5, 12.5, 62.5, 37.5), detections.get(0).box());
  }
}
