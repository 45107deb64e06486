package dev.clipsearch.models.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.models.image.DecodedImage;
import dev.clipsearch.models.image.PreprocessConfig;
import dev.clipsearch.models.text.ClipBpeTokenizer;
import dev.clipsearch.models.text.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden test of OWL-ViT's input side against the reference processor's steps (PIL + numpy, see
 * models/generator/owlvit_fixtures.py): the 768 x 768 stretched bicubic resize must give PIL's
 * 8-bit values exactly, and the tensor must match the reference's sampled values within 1e-5
 * (float32 rounding of the rescale: the reference multiplies by 1/255 in float64); queries must
 * tokenize to the reference ids and mask exactly.
 */
class OwlVitPreprocessorParityTest {

  private static final double TENSOR_TOLERANCE = 1e-5;
  private static final JsonNode PREPROCESS = OwlVitFixtures.json("preprocess.json");

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (JsonNode c : PREPROCESS.get("cases")) {
      cases.add(Arguments.of(c.get("image").asText(), c));
    }
    return cases.stream();
  }

  private static OwlVitPreprocessor preprocessor() {
    return new OwlVitPreprocessor(
        new PreprocessConfig(
            PREPROCESS.get("size").asInt(),
            OwlVitFixtures.floats(PREPROCESS.get("mean")),
            OwlVitFixtures.floats(PREPROCESS.get("std"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void resizeAndNormalizeMatchTheReference(String name, JsonNode c) {
    DecodedImage image =
        OwlVitFixtures.decode(OwlVitFixtures.image(c.get("source").asText(), name), name);
    assertEquals(
        List.of(c.get("upright_size").get(0).asInt(), c.get("upright_size").get(1).asInt()),
        List.of(image.width(), image.height()),
        name + ": upright size after EXIF orientation");

    OwlVitPreprocessor preprocessor = preprocessor();
    int size = preprocessor.config().size();
    float[] tensor = preprocessor.preprocess(image);
    assertEquals(3 * size * size, tensor.length, name + ": tensor length");

    // Resize step: the 8-bit values PIL gives, exactly, recovered from the tensor.
    String png = c.get("resized_png").asText();
    DecodedImage expected = OwlVitFixtures.decode(OwlVitFixtures.resource("owlvit/" + png), png);
    float[] mean = preprocessor.config().mean();
    float[] std = preprocessor.config().std();
    int plane = size * size;
    int differing = 0;
    int firstDiff = -1;
    for (int i = 0; i < plane; i++) {
      for (int ch = 0; ch < 3; ch++) {
        int level = Math.round((tensor[ch * plane + i] * std[ch] + mean[ch]) * 255f);
        if (level != (expected.pixels()[i * 3 + ch] & 0xFF)) {
          differing++;
          firstDiff = firstDiff < 0 ? ch * plane + i : firstDiff;
        }
      }
    }
    assertEquals(
        0,
        differing,
        name + ": resize step: 8-bit values differ from PIL's, first at tensor index " + firstDiff);

    // Normalize step: sampled reference values.
    JsonNode index = c.get("sample_index");
    JsonNode value = c.get("sample_value");
    double max = 0;
    for (int i = 0; i < index.size(); i++) {
      max = Math.max(max, Math.abs(tensor[index.get(i).asInt()] - value.get(i).asDouble()));
    }
    assertTrue(
        max <= TENSOR_TOLERANCE,
        String.format(Locale.ROOT, "%s: max |diff| %.3g > %.0e", name, max, TENSOR_TOLERANCE));
  }

  @Test
  void queriesTokenizeToTheReferenceIdsAndMask() {
    JsonNode queries = OwlVitFixtures.json("queries.json");
    Path vocab =
        Path.of(
            System.getProperty("clipsearch.shared"),
            "models",
            "clip-vocab",
            "bpe_simple_vocab_16e6.txt.gz");
    TextTokenizer tokenizer = ClipBpeTokenizer.fromMergesFile(vocab);
    int length = queries.get("context").asInt();
    int pad = queries.get("pad_id").asInt();
    List<String> texts = new ArrayList<>();
    queries.get("cases").forEach(c -> texts.add(c.get("text").asText()));
    OwlVitQueries encoded = OwlVitQueries.encode(tokenizer, texts, length, pad);
    for (int q = 0; q < texts.size(); q++) {
      JsonNode c = queries.get("cases").get(q);
      long[] ids = new long[length];
      long[] mask = new long[length];
      for (int i = 0; i < length; i++) {
        ids[i] = c.get("input_ids").get(i).asLong();
        mask[i] = c.get("attention_mask").get(i).asLong();
      }
      assertArrayEquals(
          ids,
          java.util.Arrays.copyOfRange(encoded.inputIds(), q * length, (q + 1) * length),
          "input_ids of \"" + texts.get(q) + "\"");
      assertArrayEquals(
          mask,
          java.util.Arrays.copyOfRange(encoded.attentionMask(), q * length, (q + 1) * length),
          "attention_mask of \"" + texts.get(q) + "\"");
    }
    boolean[] padded = encoded.padded(pad);
    for (boolean p : padded) {
      assertEquals(false, p, "no real query starts with the pad id");
    }
  }

  @Test
  void aQueryStartingWithThePadIdIsPadding() {
    OwlVitQueries queries =
        new OwlVitQueries(new long[] {49406, 320, 49407, 0, 0, 0, 0, 0}, new long[8], 2, 4);
    assertArrayEquals(new boolean[] {false, true}, queries.padded(0));
  }
}
