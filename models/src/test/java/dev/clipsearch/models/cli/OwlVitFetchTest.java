package dev.clipsearch.models.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.common.net.RetryPolicy;
import dev.clipsearch.models.hub.FakeHub;
import dev.clipsearch.models.hub.ModelRegistry;
import dev.clipsearch.models.hub.ModelVariant;
import dev.clipsearch.models.hub.RemoteFile;
import dev.clipsearch.models.testing.TinyOwlVit;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The built-in {@code owlvit-base-patch32} entry end to end against a local fake hub: {@code models
 * fetch} downloads its files (the tiny random-weight OWL-ViT's bytes stand in for the real ones) at
 * the paths of the registry entry, and {@code detect --detector owlvit-base-patch32} then finds it
 * in the cache by name and runs it. Random weights: only the output's shape is checked.
 */
@Tag("network")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class OwlVitFetchTest {

  @TempDir Path tmp;
  private FakeHub hub;
  private Map<String, String> env;
  private Path photo;

  private record Run(int exit, String out, String err) {}

  @BeforeEach
  void startHub() throws IOException {
    hub = new FakeHub(ModelRegistry.OWLVIT_BASE_PATCH32.repository());
    Path tiny = TinyOwlVit.dir().resolve("transformersjs");
    for (ModelVariant variant : ModelRegistry.OWLVIT_BASE_PATCH32.variants()) {
      for (RemoteFile file : ModelRegistry.OWLVIT_BASE_PATCH32.files(variant)) {
        // Both graphs are the tiny fp32 one: the quantized path only has to load.
        String source = file.path().startsWith("onnx/") ? "onnx/model.onnx" : file.path();
        hub.add(
            file.path(), Files.readAllBytes(tiny.resolve(source)), file.path().endsWith(".onnx"));
      }
    }
    env = new HashMap<>();
    env.put("CLIPSEARCH_HOME", tmp.resolve("home").toString());
    env.put("HF_ENDPOINT", hub.endpoint().toString());
    env.put("CI", "true");
    BufferedImage image = new BufferedImage(120, 90, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(230, 230, 230));
    g.fillRect(0, 0, 120, 90);
    g.setColor(new Color(30, 90, 200));
    g.fillRect(30, 20, 40, 50);
    g.dispose();
    photo = tmp.resolve("room.png");
    ImageIO.write(image, "png", photo.toFile());
  }

  @AfterEach
  void stopHub() {
    hub.close();
  }

  private Run models(String... args) {
    ModelsCommand command =
        new ModelsCommand(
            env,
            tmp.resolve("user"),
            ModelRegistry.builtIn(),
            c ->
                c.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(20))
                    .withRetry(new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(2))));
    return run(new CommandLine(command), args);
  }

  private Run detect(String... args) {
    return run(new CommandLine(new DetectCommand(env, tmp.resolve("user"))), args);
  }

  private static Run run(CommandLine cli, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private void assertDetects(String detector) throws IOException {
    Run run =
        detect(
            photo.toString(),
            "--detector",
            detector,
            "--labels",
            "a box",
            "--threshold",
            "0",
            "--max-detections",
            "3");
    assertEquals(0, run.exit(), run.err());
    String[] lines = run.out().strip().split("\n");
    assertTrue(lines.length >= 1 && lines.length <= 3, run.out());
    JsonNode first = new ObjectMapper().readTree(lines[0]);
    assertEquals("a box", first.get("label").asText(), first.toString());
    assertEquals(4, first.get("box").size(), first.toString());
  }

  @Test
  void fetch_then_detect_by_name_resolves_the_detector_from_the_cache() throws IOException {
    Run before = detect(photo.toString(), "--detector", "owlvit-base-patch32", "--labels", "a box");
    assertEquals(2, before.exit(), before.err());
    assertTrue(
        before.err().contains("download it with: clipsearch models fetch owlvit-base-patch32"),
        before.err());

    Run fetch = models("fetch", "owlvit-base-patch32");
    assertEquals(0, fetch.exit(), fetch.err());
    Path installed = tmp.resolve("home").resolve("models").resolve("owlvit-base-patch32");
    assertTrue(fetch.out().contains(installed.toString()), fetch.out());
    for (RemoteFile file : ModelRegistry.OWLVIT_BASE_PATCH32.files(ModelVariant.FP32)) {
      assertTrue(Files.isRegularFile(installed.resolve(file.path())), file.path());
    }
    assertTrue(
        hub.requestsFor("/resolve/main/onnx/model.onnx").size() >= 1,
        "follows main: " + hub.requests());

    assertDetects("owlvit-base-patch32");
    assertDetects("google/owlvit-base-patch32");
  }

  @Test
  void the_quantized_variant_installs_apart_and_loads_by_its_install_name() throws IOException {
    Run fetch = models("fetch", "owlvit-base-patch32", "--variant", "q8");
    assertEquals(0, fetch.exit(), fetch.err());
    Path installed = tmp.resolve("home").resolve("models").resolve("owlvit-base-patch32-q8");
    assertTrue(Files.isRegularFile(installed.resolve("onnx/model_quantized.onnx")));
    assertTrue(!Files.exists(installed.resolve("onnx/model.onnx")));

    assertDetects("owlvit-base-patch32-q8");
  }
}
