package dev.clipsearch.models.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.image.PreprocessConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InspectPreprocessCommandTest {

  @TempDir Path temp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(InspectPreprocessCommand command, String... args) {
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private static Path fixture(String relative) {
    return Path.of(System.getProperty("clipsearch.shared"), "fixtures", relative);
  }

  private static float[] readFloats(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    float[] values = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }

  @Test
  void writesTheReferenceTensorOfAnImage() throws IOException {
    Path tensor = temp.resolve("china.f32");
    int exit =
        run(
            new InspectPreprocessCommand(),
            fixture("clip-reference/images/china.jpg").toString(),
            "--out",
            tensor.toString());
    assertEquals(0, exit, err.toString());
    float[] expected = readFloats(fixture("clip-reference/tensors/china.f32"));
    assertArrayEquals(expected, readFloats(tensor), 0.02f);
    assertTrue(out.toString().contains("640 x 427 RGB, resized to 335 x 224"), out.toString());
  }

  @Test
  void badImageFailsWithTheFileAndReasonAndWritesNothing() {
    Path tensor = temp.resolve("t.f32");
    String image = fixture("image-robustness/truncated.jpg").toString();
    int exit = run(new InspectPreprocessCommand(), image, "--out", tensor.toString());
    assertEquals(1, exit);
    assertTrue(err.toString().startsWith(image + ": corrupt or truncated image"), err.toString());
    assertFalse(Files.exists(tensor));
  }

  @Test
  void maxPixelsIsApplied() {
    int exit =
        run(
            new InspectPreprocessCommand(),
            fixture("clip-reference/images/chelsea.png").toString(),
            "--out",
            temp.resolve("t.f32").toString(),
            "--max-pixels",
            "1000");
    assertEquals(1, exit);
    assertTrue(err.toString().contains("too many pixels"), err.toString());
  }

  @Test
  void modelWithoutALoaderIsAUsageError() {
    int exit =
        run(
            new InspectPreprocessCommand(),
            fixture("clip-reference/images/chelsea.png").toString(),
            "--out",
            temp.resolve("t.f32").toString(),
            "--model",
            temp.toString());
    assertEquals(CommandLine.ExitCode.USAGE, exit);
    assertTrue(err.toString().contains("--model is not available"), err.toString());
  }

  @Test
  void modelPreprocessingComesFromTheGivenLoader() throws IOException {
    PreprocessConfig small = new PreprocessConfig(32, new float[] {0, 0, 0}, new float[] {1, 1, 1});
    Path tensor = temp.resolve("small.f32");
    int exit =
        run(
            new InspectPreprocessCommand(dir -> small),
            fixture("clip-reference/images/chelsea.png").toString(),
            "--out",
            tensor.toString(),
            "--model",
            temp.toString());
    assertEquals(0, exit, err.toString());
    float[] values = readFloats(tensor);
    assertEquals(small.tensorLength(), values.length);
    for (float v : values) {
      assertTrue(v >= 0 && v <= 1, "mean 0, std 1 keeps values in [0, 1]: " + v);
    }
  }
}
