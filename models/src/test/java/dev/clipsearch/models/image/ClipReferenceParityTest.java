package dev.clipsearch.models.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.models.testing.TestImages;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden test of decode + preprocess against the CLIP reference pipeline (PIL + torchvision): every
 * case of shared/fixtures/clip-reference/preprocess.json, and the further cases under test
 * resources image/parity/ made by models/reference/preprocess_reference.py. Tolerance from the
 * fixtures' README: max |diff| <= 0.02 and mean |diff| <= 0.001 in normalized units.
 */
class ClipReferenceParityTest {

  private static final double MAX_ABS_DIFF = 0.02;
  private static final double MEAN_ABS_DIFF = 0.001;

  private static final ClipImagePreprocessor PREPROCESSOR =
      new ClipImagePreprocessor(PreprocessConfig.CLIP);

  static Stream<Arguments> sharedCases() throws IOException {
    return cases(
        TestImages.read(TestImages.clipReference().resolve("preprocess.json")),
        path -> TestImages.read(TestImages.clipReference().resolve(path)));
  }

  static Stream<Arguments> furtherCases() throws IOException {
    return cases(
        TestImages.resource("parity/cases.json"), path -> TestImages.resource("parity/" + path));
  }

  private static Stream<Arguments> cases(byte[] json, Function<String, byte[]> files)
      throws IOException {
    JsonNode spec = new ObjectMapper().readTree(json);
    assertEquals(PreprocessConfig.CLIP.size(), spec.get("size").asInt(), "reference input size");
    for (int c = 0; c < 3; c++) {
      assertEquals(PreprocessConfig.CLIP.mean()[c], (float) spec.get("mean").get(c).asDouble());
      assertEquals(PreprocessConfig.CLIP.std()[c], (float) spec.get("std").get(c).asDouble());
    }
    List<Arguments> cases = new ArrayList<>();
    for (JsonNode c : spec.get("cases")) {
      String image = c.get("image").asText();
      String tensor = c.get("tensor").asText();
      cases.add(
          Arguments.of(
              image,
              c,
              files.apply(image),
              TestImages.floats(files.apply(tensor), tensor.endsWith(".gz"))));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sharedCases")
  void matchesTheSharedReferenceTensor(String name, JsonNode c, byte[] image, float[] expected) {
    assertParity(name, c, image, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("furtherCases")
  void matchesReferenceTensorsOfFurtherImages(
      String name, JsonNode c, byte[] image, float[] expected) {
    assertParity(name, c, image, expected);
  }

  /** Checks step by step, so that a failure names the step that differs. */
  private static void assertParity(String name, JsonNode c, byte[] image, float[] expected) {
    DecodedImage decoded = TestImages.decode(image, name);
    String mode = c.get("mode").asText();
    int expectedChannels = mode.equals("L") ? 1 : 3;
    assertEquals(
        List.of(c.get("size").get(0).asInt(), c.get("size").get(1).asInt(), expectedChannels),
        List.of(decoded.width(), decoded.height(), decoded.channels()),
        name + ": decode step: width, height, channels differ from PIL's (mode " + mode + ")");

    ClipImagePreprocessor.Geometry geometry =
        PREPROCESSOR.geometry(decoded.width(), decoded.height());
    assertEquals(
        List.of(
            c.get("resized").get(0).asInt(),
            c.get("resized").get(1).asInt(),
            c.get("crop_left_top").get(0).asInt(),
            c.get("crop_left_top").get(1).asInt()),
        List.of(
            geometry.resizedWidth(),
            geometry.resizedHeight(),
            geometry.cropLeft(),
            geometry.cropTop()),
        name + ": resize/crop step: resized size or crop offsets differ");

    float[] actual = PREPROCESSOR.preprocess(decoded);
    assertEquals(expected.length, actual.length, name + ": tensor length");
    double max = 0;
    double sum = 0;
    int worst = 0;
    int offByMoreThanOneLevel = 0;
    for (int i = 0; i < actual.length; i++) {
      double diff = Math.abs(actual[i] - expected[i]);
      sum += diff;
      if (diff > max) {
        max = diff;
        worst = i;
      }
      if (diff > 0.02) {
        offByMoreThanOneLevel++;
      }
    }
    double mean = sum / actual.length;
    if (max > MAX_ABS_DIFF || mean > MEAN_ABS_DIFF) {
      int plane = PreprocessConfig.CLIP.size() * PreprocessConfig.CLIP.size();
      fail(
          String.format(
              Locale.ROOT,
              "%s: resample/normalize step: max |diff| %.5f (limit %.3f), mean |diff| %.6f (limit"
                  + " %.4f); worst at channel %d, row %d, column %d: %.5f instead of %.5f; %d"
                  + " values off by more than one 8-bit level",
              name,
              max,
              MAX_ABS_DIFF,
              mean,
              MEAN_ABS_DIFF,
              worst / plane,
              worst % plane / PreprocessConfig.CLIP.size(),
              worst % PreprocessConfig.CLIP.size(),
              actual[worst],
              expected[worst],
              offByMoreThanOneLevel));
    }
  }
}
