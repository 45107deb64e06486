package dev.clipsearch.indexer.tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.testing.Colors;
import dev.clipsearch.models.testing.FakeClipModel;
import dev.clipsearch.models.testing.TestProducts;
import java.awt.Color;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The colour fake makes the answers known: an image of a named colour has that colour's direction,
 * and the prompt of that colour's name points the same way.
 */
class AttributeTaggerTest {

  private final FakeClipModel model = new FakeClipModel();

  static float[] colour(FakeClipModel model, String name) {
    Color c = Colors.NAMED.get(name);
    return model.colourVector(c.getRed() / 255f, c.getGreen() / 255f, c.getBlue() / 255f);
  }

  /** An image exactly as close to both colours. */
  static float[] between(FakeClipModel model, String a, String b) {
    float[] x = colour(model, a);
    float[] y = colour(model, b);
    float[] sum = new float[x.length];
    for (int i = 0; i < sum.length; i++) {
      sum[i] = x[i] + y[i];
    }
    return TestProducts.normalize(sum);
  }

  private AttributeTagger tagger(String file, double floor, double margin) throws Exception {
    return new AttributeTagger(AttributeFile.parse("test", file), model, floor, margin);
  }

  @Test
  void each_colour_image_gets_its_colour_through_the_default_prompt() throws Exception {
    AttributeTagger tagger =
        tagger(
            "color: red, green, blue, yellow, black, white",
            AttributeTagger.DEFAULT_MIN_CONFIDENCE,
            AttributeTagger.DEFAULT_MIN_MARGIN);
    for (String name : List.of("red", "green", "blue", "yellow", "black", "white")) {
      assertEquals(Map.of("color", name), tagger.tag(List.of(colour(model, name))), name);
    }
  }

  @Test
  void prompts_are_encoded_once_and_no_image_ever() throws Exception {
    AttributeTagger tagger = tagger("color: red, blue\nshade: black, white", 0.5, 0.2);
    for (int i = 0; i < 5; i++) {
      tagger.tag(List.of(colour(model, "red"), colour(model, "white")));
    }
    assertEquals(1, model.textCalls());
    assertEquals(0, model.imageCalls());
  }

  @Test
  void the_most_confident_image_decides() throws Exception {
    AttributeTagger tagger = tagger("color: red, blue, green | {}", 0.5, 0.2);
    // the first image hesitates between red and blue; the second is plainly blue
    assertEquals(
        Map.of("color", "blue"),
        tagger.tag(List.of(between(model, "red", "blue"), colour(model, "blue"))));
  }

  @Test
  void a_near_tie_is_left_out_by_the_margin() throws Exception {
    List<float[]> images = List.of(between(model, "red", "blue"));
    AttributeTagger.Choice choice =
        tagger("color: red, blue, green | {}", 0.4, 0.2).choose(images).get("color");
    assertTrue(Math.abs(choice.probability() - 0.5) < 0.05, "p " + choice.probability());
    assertTrue(choice.margin() < 0.1, "margin " + choice.margin());
    assertFalse(choice.kept());
    assertEquals(Map.of(), tagger("color: red, blue, green | {}", 0.4, 0.2).tag(images));
    // without a margin, the same probability clears a floor of 0.4 ...
    Map<String, String> kept = tagger("color: red, blue, green | {}", 0.4, 0).tag(images);
    assertTrue(List.of("red", "blue").contains(kept.get("color")), kept.toString());
    // ... but not a floor of 0.6
    assertEquals(Map.of(), tagger("color: red, blue, green | {}", 0.6, 0).tag(images));
  }

  @Test
  void probabilities_are_the_softmax_of_the_scaled_cosines() throws Exception {
    float[] image = between(model, "red", "green");
    AttributeTagger.Choice choice =
        tagger("color: red, green, blue | {}", 0, 0).choose(List.of(image)).get("color");
    double scale = model.spec().logitScale();
    double[] logits = new double[3];
    String[] names = {"red", "green", "blue"};
    double sum = 0;
    for (int i = 0; i < 3; i++) {
      float[] prompt = model.textVector(names[i]);
      double dot = 0;
      for (int d = 0; d < image.length; d++) {
        dot += (double) image[d] * prompt[d];
      }
      logits[i] = Math.exp(scale * dot);
      sum += logits[i];
    }
    int top = logits[0] >= logits[1] ? 0 : 1;
    assertEquals(names[top], choice.value());
    assertEquals(logits[top] / sum, choice.probability(), 1e-6);
    assertEquals((logits[top] - Math.max(logits[1 - top], logits[2])) / sum, choice.margin(), 1e-6);
  }

  @Test
  void a_product_without_images_gets_no_attribute() throws Exception {
    assertEquals(Map.of(), tagger("color: red, blue", 0.5, 0.2).tag(List.of()));
  }

  @Test
  void thresholds_outside_zero_to_one_are_refused() throws Exception {
    AttributeFile file = AttributeFile.parse("test", "color: red, blue");
    assertThrows(IllegalArgumentException.class, () -> new AttributeTagger(file, model, 1.5, 0));
    assertThrows(IllegalArgumentException.class, () -> new AttributeTagger(file, model, 0.5, -1));
  }
}
