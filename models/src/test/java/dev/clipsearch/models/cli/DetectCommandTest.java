package dev.clipsearch.models.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.models.testing.TestModels;
import dev.clipsearch.models.testing.TinyOwlVit;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code clipsearch detect} on the tiny random-weight models: one JSON line per detection with the
 * documented fields, the annotated copy drawn, bad options refused. Random weights: the boxes mean
 * nothing, only their shape is checked.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DetectCommandTest {

  @TempDir static Path dir;
  static Path photo;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void photo() throws IOException {
    BufferedImage image = new BufferedImage(160, 100, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(240, 240, 240));
    g.fillRect(0, 0, 160, 100);
    g.setColor(new Color(200, 30, 30));
    g.fillOval(20, 20, 50, 60);
    g.dispose();
    photo = dir.resolve("room.png");
    ImageIO.write(image, "png", photo.toFile());
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new DetectCommand(Map.of(), dir));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static List<JsonNode> lines(Run run) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> nodes = new java.util.ArrayList<>();
    for (String line : run.out().strip().split("\n")) {
      if (!line.isBlank()) {
        nodes.add(json.readTree(line));
      }
    }
    return nodes;
  }

  @Test
  void prints_one_json_line_per_detection_and_draws_them() throws IOException {
    Path annotated = dir.resolve("annotated.png");
    Run run =
        run(
            photo.toString(),
            "--detector",
            TinyOwlVit.dir().resolve("optimum").toString(),
            "--labels",
            "a lamp",
            "--labels",
            "a couch",
            "--threshold",
            "0",
            "--max-detections",
            "4",
            "--out",
            annotated.toString());
    assertEquals(0, run.exit(), run.err());
    List<JsonNode> detections = lines(run);
    assertTrue(detections.size() >= 1 && detections.size() <= 4, run.out());
    double previous = Double.MAX_VALUE;
    for (JsonNode d : detections) {
      assertTrue(List.of("a lamp", "a couch").contains(d.get("label").asText()), d.toString());
      assertTrue(d.get("score").asDouble() <= previous, run.out());
      previous = d.get("score").asDouble();
      assertEquals(4, d.get("box").size(), d.toString());
    }
    assertTrue(run.err().contains("owlvit:optimum"), run.err());
    BufferedImage drawn = ImageIO.read(annotated.toFile());
    BufferedImage original = ImageIO.read(photo.toFile());
    assertEquals(160, drawn.getWidth());
    assertEquals(100, drawn.getHeight());
    int changed = 0;
    for (int y = 0; y < 100; y++) {
      for (int x = 0; x < 160; x++) {
        if (drawn.getRGB(x, y) != original.getRGB(x, y)) {
          changed++;
        }
      }
    }
    assertTrue(changed > 0, "the boxes are drawn on the copy");
    assertTrue(changed < 160 * 100, "the photo is still there");
  }

  @Test
  void clip_regions_answer_when_only_a_clip_model_is_given() throws IOException {
    Run run =
        run(
            photo.toString(),
            "--model",
            TestModels.tiny(TestModels.Layout.HF).toString(),
            "--device",
            "cpu",
            "--labels",
            "a red ball",
            "--threshold",
            "0");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.err().contains("clip-regions:"), run.err());
    for (JsonNode d : lines(run)) {
      assertEquals("a red ball", d.get("label").asText());
    }
  }

  @Test
  void refuses_bad_options_with_a_message() {
    Run noModel = run(photo.toString(), "--labels", "a lamp");
    assertNotEquals(0, noModel.exit());
    assertTrue(noModel.err().contains("--detector"), noModel.err());
    Run blank = run(photo.toString(), "--model", "x", "--labels", " ");
    assertNotEquals(0, blank.exit());
    assertTrue(blank.err().contains("label 1 is empty"), blank.err());
    Run threshold = run(photo.toString(), "--model", "x", "--labels", "a", "--threshold", "2");
    assertNotEquals(0, threshold.exit());
    assertTrue(threshold.err().contains("threshold"), threshold.err());
    Run format = run(photo.toString(), "--model", "x", "--labels", "a", "--out", "boxes.gif");
    assertNotEquals(0, format.exit());
    assertTrue(format.err().contains("--out"), format.err());
    Run broken = run(dir.resolve("missing.png").toString(), "--model", "x", "--labels", "a");
    assertEquals(1, broken.exit());
    assertTrue(broken.err().contains("missing.png"), broken.err());
  }
}
