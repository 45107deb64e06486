package dev.clipsearch.models.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.testing.ExpectedEmbeddings;
import dev.clipsearch.models.testing.TestModels;
import dev.clipsearch.models.testing.TestModels.Layout;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class InspectEmbedCommandTest {

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new InspectEmbedCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static float[] vector(JsonNode line) {
    JsonNode v = line.get("vector");
    float[] out = new float[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v.get(i).floatValue();
    }
    return out;
  }

  @Test
  void prints_one_json_object_per_input_in_order_with_the_models_vectors() throws Exception {
    Path dir = TestModels.tiny(Layout.HF);
    Path image =
        Path.of(
            System.getProperty("clipsearch.shared"), "fixtures/clip-reference/images/chelsea.png");
    Run run =
        run(
            "--model",
            dir.toString(),
            "--text",
            "red running shoes",
            "--image",
            image.toString(),
            "--text",
            "a photo of a cat",
            "--device",
            "cpu",
            "--threads",
            "1");
    assertEquals(0, run.exit(), run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals(3, lines.size(), run.out());
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines.get(0));
    JsonNode second = json.readTree(lines.get(1));
    JsonNode third = json.readTree(lines.get(2));
    assertEquals("text", first.get("kind").asText());
    assertEquals("red running shoes", first.get("input").asText());
    assertEquals("image", second.get("kind").asText());
    assertEquals(image.toString(), second.get("input").asText());
    assertEquals("a photo of a cat", third.get("input").asText());

    try (ClipModel model = ClipModels.load(dir, RuntimeOptions.defaults().withDevice(Device.CPU))) {
      float[][] texts = model.encodeTexts(List.of("red running shoes", "a photo of a cat"));
      assertArrayEquals(texts[0], vector(first));
      assertArrayEquals(texts[1], vector(third));
      // the reference tensor of the same photo, from CLIP's own preprocessing
      float[] tensor =
          ExpectedEmbeddings.readF32(
              Path.of(
                  System.getProperty("clipsearch.shared"),
                  "fixtures/clip-reference/tensors/chelsea.f32"));
      assertArrayEquals(model.encodeImages(List.of(tensor))[0], vector(second), 2e-3f);
    }
    assertTrue(run.err().contains("on cpu"), run.err());
    assertTrue(run.err().contains("encoding 2 text(s) and 1 image(s)"), run.err());
  }

  @Test
  void a_bad_device_is_a_usage_error() {
    Run run = run("--model", "x", "--text", "t", "--device", "gpu");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("invalid device 'gpu'"), run.err());
  }

  @Test
  void a_missing_model_or_image_is_an_error_naming_it(@org.junit.jupiter.api.io.TempDir Path tmp) {
    Run missingModel =
        run("--model", tmp.resolve("none").toString(), "--text", "t", "--device", "cpu");
    assertEquals(1, missingModel.exit());
    assertTrue(
        missingModel.err().contains("model directory " + tmp.resolve("none") + " not found"),
        missingModel.err());

    Run missingImage =
        run(
            "--model",
            TestModels.tiny(Layout.HF).toString(),
            "--image",
            tmp.resolve("no.png").toString(),
            "--device",
            "cpu");
    assertEquals(1, missingImage.exit());
    assertTrue(missingImage.err().contains(tmp.resolve("no.png").toString()), missingImage.err());
  }

  @Test
  void at_least_one_input_is_required() {
    Run run = run("--model", "x");
    assertEquals(2, run.exit());
  }
}
