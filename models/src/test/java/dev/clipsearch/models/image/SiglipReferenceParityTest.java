package dev.clipsearch.models.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.models.testing.TestImages;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden test of decode + SigLIP preprocessing (the whole image stretched to 224 x 224 with PIL's
 * bicubic filter, no crop, mean and std 0.5) against tensors made by
 * models/reference/siglip_preprocess_reference.py with PIL and numpy, under test resources
 * image/siglip-parity/. Same tolerance as the CLIP fixtures: max |diff| <= 0.02 and mean |diff| <=
 * 0.001 in normalized units (the normalized scale here is 2/255 per 8-bit level, so 0.02 allows one
 * level).
 */
class SiglipReferenceParityTest {

  private static final double MAX_ABS_DIFF = 0.02;
  private static final double MEAN_ABS_DIFF = 0.001;
  private static final float[] HALF = {0.5f, 0.5f, 0.5f};

  static Stream<Arguments> cases() throws IOException {
    JsonNode spec = new ObjectMapper().readTree(TestImages.resource("siglip-parity/cases.json"));
    assertEquals("squash", spec.get("resize").asText());
    PreprocessConfig config =
        new PreprocessConfig(
            spec.get("size").asInt(),
            floats(spec.get("mean")),
            floats(spec.get("std")),
            PreprocessConfig.Resize.SQUASH);
    List<Arguments> cases = new ArrayList<>();
    for (JsonNode c : spec.get("cases")) {
      String image = c.get("image").asText();
      byte[] bytes =
          c.get("from").asText().equals("shared")
              ? TestImages.read(TestImages.clipReference().resolve("images").resolve(image))
              : TestImages.resource("parity/" + image);
      String tensor = c.get("tensor").asText();
      cases.add(
          Arguments.of(
              image,
              config,
              bytes,
              TestImages.floats(TestImages.resource("siglip-parity/" + tensor), true)));
    }
    return cases.stream();
  }

  private static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesThePilReferenceTensor(
      String name, PreprocessConfig config, byte[] image, float[] expected) {
    ClipImagePreprocessor preprocessor = new ClipImagePreprocessor(config);
    DecodedImage decoded = TestImages.decode(image, name);
    ClipImagePreprocessor.Geometry geometry =
        preprocessor.geometry(decoded.width(), decoded.height());
    assertEquals(
        new ClipImagePreprocessor.Geometry(config.size(), config.size(), 0, 0),
        geometry,
        name + ": the whole image goes to the square, nothing cropped");
    float[] actual = preprocessor.preprocess(decoded);
    assertEquals(expected.length, actual.length, name + ": tensor length");
    double max = 0;
    double sum = 0;
    for (int i = 0; i < actual.length; i++) {
      double diff = Math.abs(actual[i] - expected[i]);
      sum += diff;
      max = Math.max(max, diff);
    }
    double mean = sum / actual.length;
    assertTrue(
        max <= MAX_ABS_DIFF && mean <= MEAN_ABS_DIFF,
        String.format(
            Locale.ROOT,
            "%s: max |diff| %.5f (limit %.3f), mean |diff| %.6f (limit %.4f)",
            name,
            max,
            MAX_ABS_DIFF,
            mean,
            MEAN_ABS_DIFF));
  }

  @Test
  void squashing_differs_from_clip_crop_on_a_non_square_image() throws IOException {
    DecodedImage decoded =
        TestImages.decode(
            TestImages.read(
                TestImages.clipReference().resolve("images").resolve("wide_odd_601x225.png")),
            "wide");
    PreprocessConfig squash = new PreprocessConfig(224, HALF, HALF, PreprocessConfig.Resize.SQUASH);
    PreprocessConfig crop = new PreprocessConfig(224, HALF, HALF);
    float[] a = new ClipImagePreprocessor(squash).preprocess(decoded);
    float[] b = new ClipImagePreprocessor(crop).preprocess(decoded);
    double diff = 0;
    for (int i = 0; i < a.length; i++) {
      diff += Math.abs(a[i] - b[i]);
    }
    assertTrue(diff / a.length > 0.01, "squash and crop gave nearly the same tensor");
    assertTrue(squash.toString().contains("squash"), squash.toString());
  }
}
