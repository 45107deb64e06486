package dev.clipsearch.models.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.image.ClipImagePreprocessor;
import dev.clipsearch.models.image.ImageDecoder;
import dev.clipsearch.models.image.ImageLimits;
import dev.clipsearch.models.testing.TestModels;
import dev.clipsearch.models.testing.TestModels.Layout;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InspectEmbedBatchCommandTest {

  static final RuntimeOptions CPU =
      RuntimeOptions.defaults().withDevice(Device.CPU).withIntraOpThreads(1);

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new InspectEmbedBatchCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static float[][] read(Path file, int dimension) throws Exception {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    float[][] rows = new float[bytes.remaining() / 4 / dimension][dimension];
    for (float[] row : rows) {
      bytes.asFloatBuffer().get(row);
      bytes.position(bytes.position() + 4 * dimension);
    }
    return rows;
  }

  @Test
  void writes_the_models_text_vectors_as_float32_rows_in_input_order(@TempDir Path tmp)
      throws Exception {
    Path model = TestModels.tiny(Layout.MANIFEST);
    List<String> texts = List.of("red running shoes", "a cat", "umbrella");
    Path list = Files.writeString(tmp.resolve("texts.txt"), String.join("\n", texts) + "\n\n");
    Path out = tmp.resolve("texts.f32");

    Run run = run("--model", model.toString(), "--texts", list.toString(), "--out", out.toString());

    assertEquals(0, run.exit(), run.err());
    try (ClipModel clip = ClipModels.load(model, CPU)) {
      float[][] expected = clip.encodeTexts(texts);
      float[][] written = read(out, clip.dimension());
      assertEquals(texts.size(), written.length, "blank lines are skipped");
      for (int i = 0; i < texts.size(); i++) {
        assertArrayEquals(expected[i], written[i], 1e-6f, texts.get(i));
      }
      assertTrue(run.out().contains("wrote 3 x " + clip.dimension()), run.out());
    }
  }

  @Test
  void reads_image_paths_relative_to_the_list_and_names_an_undecodable_one(@TempDir Path tmp)
      throws Exception {
    Path model = TestModels.tiny(Layout.MANIFEST);
    Path images = Files.createDirectories(tmp.resolve("images"));
    try (var in = getClass().getResourceAsStream("/image/decode/rgba_cutout.png")) {
      Files.copy(in, images.resolve("cutout.png"));
    }
    Path list = Files.writeString(tmp.resolve("images.txt"), "images/cutout.png\n");
    Path out = tmp.resolve("images.f32");

    Run ok = run("--model", model.toString(), "--images", list.toString(), "--out", out.toString());

    assertEquals(0, ok.exit(), ok.err());
    try (ClipModel clip = ClipModels.load(model, CPU)) {
      byte[] data = Files.readAllBytes(images.resolve("cutout.png"));
      float[] pixels =
          new ClipImagePreprocessor(clip.spec().preprocess())
              .preprocess(new ImageDecoder(ImageLimits.DEFAULT).decode(data, "cutout.png"));
      assertArrayEquals(
          clip.encodeImages(List.of(pixels))[0], read(out, clip.dimension())[0], 1e-6f);
    }

    Files.writeString(images.resolve("broken.png"), "not an image", StandardCharsets.UTF_8);
    Files.writeString(list, "images/cutout.png\nimages/broken.png\n");
    Run bad =
        run("--model", model.toString(), "--images", list.toString(), "--out", out.toString());
    assertEquals(1, bad.exit());
    assertTrue(bad.err().contains("broken.png"), bad.err());
  }

  @Test
  void wants_exactly_one_of_texts_and_images(@TempDir Path tmp) {
    Run run = run("--model", tmp.toString(), "--out", tmp.resolve("x.f32").toString());
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("exactly one of --texts and --images"), run.err());
  }
}
