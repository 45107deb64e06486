package dev.clipsearch.searcher.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.models.ScoreFunction;
import dev.clipsearch.models.testing.Colors;
import dev.clipsearch.models.testing.FakeClipModel;
import dev.clipsearch.searcher.api.ApiJson;
import dev.clipsearch.searcher.encode.EncoderSettings;
import dev.clipsearch.searcher.encode.QueryEncoder;
import dev.clipsearch.searcher.metrics.ServerMetrics;
import dev.clipsearch.searcher.service.Classification;
import dev.clipsearch.searcher.service.ClassifyRequest;
import dev.clipsearch.searcher.service.LabelScore;
import dev.clipsearch.searcher.testing.FakeImageProcessor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Classification by the model's own score function: CLIP's softmax sums to 1, SigLIP's sigmoid
 * gives each label its own probability from the scale and bias, and without them the scores are
 * cosines with no probability, each reply naming its function.
 */
class ZeroShotClassifierTest {

  private static final List<String> LABELS = List.of("red", "green", "blue");

  private static Classification classify(FakeClipModel model) {
    try (QueryEncoder encoder =
        new QueryEncoder(
            model,
            new FakeImageProcessor(1L << 24, false),
            new FakeImageProcessor(1L << 24, true),
            EncoderSettings.defaults(1),
            new ServerMetrics())) {
      return new ZeroShotClassifier(encoder)
          .classify(new ClassifyRequest(Colors.png("green"), LABELS, "{}"));
    }
  }

  @Test
  void clip_scores_are_a_softmax_summing_to_one() {
    Classification result = classify(new FakeClipModel());
    assertEquals("softmax", result.scoreFunction());
    assertEquals(1.0, result.labels().stream().mapToDouble(LabelScore::score).sum(), 1e-9);
    assertEquals("green", result.best());
  }

  @Test
  void siglip_scores_are_each_labels_sigmoid_of_scale_times_cosine_plus_bias() {
    ScoreFunction sigmoid = ScoreFunction.sigmoid(10f, -2f);
    Classification result = classify(FakeClipModel.scoredBy("fake-siglip", sigmoid));
    assertEquals("sigmoid", result.scoreFunction());
    double sum = 0;
    for (LabelScore label : result.labels()) {
      double expected = 1 / (1 + Math.exp(-(10 * label.similarity() - 2)));
      assertEquals(expected, label.probability(), 1e-9, label.toString());
      assertEquals(expected, label.score(), 1e-9);
      sum += expected;
    }
    assertTrue(Math.abs(sum - 1) > 1e-3, "sigmoid probabilities happened to sum to 1: " + sum);
    assertEquals("green", result.best());
  }

  @Test
  void without_scale_and_bias_the_reply_has_cosines_and_no_probabilities() throws Exception {
    Classification result = classify(FakeClipModel.scoredBy("fake-siglip", ScoreFunction.cosine()));
    assertEquals("cosine", result.scoreFunction());
    for (LabelScore label : result.labels()) {
      assertNull(label.probability(), label.toString());
      assertEquals(label.similarity(), label.score(), 1e-12);
    }
    assertEquals("green", result.best());
    JsonNode json = ApiJson.newMapper().valueToTree(result);
    assertEquals("cosine", json.get("score_function").asText(), json.toString());
    assertTrue(json.at("/labels/0/probability").isMissingNode(), json.toString());
    assertTrue(json.at("/labels/0/score").isNumber(), json.toString());
  }
}
