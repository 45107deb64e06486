package dev.clipsearch.models.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.ScoreFunction;
import dev.clipsearch.models.image.PreprocessConfig;
import dev.clipsearch.models.testing.ExpectedEmbeddings;
import dev.clipsearch.models.testing.TestModels;
import dev.clipsearch.models.text.TextTokenizer;
import dev.clipsearch.models.text.Tokenizers;
import dev.clipsearch.models.text.UnigramTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny random-weight SigLIP twin (models/generator/generate_siglip.py), loaded by
 * auto-detection: its facts come from its config files, and its vectors equal the generator's
 * float64 numpy forward pass, which pins down the Unigram tokenizer, the padding of every text to
 * 64 tokens, the {@code pooler_output} of both towers and the squash preprocessing's input size.
 */
class SiglipTwinTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RuntimeOptions CPU =
      RuntimeOptions.defaults().withDevice(Device.CPU).withIntraOpThreads(2);

  @TempDir Path temp;
  private static Path dir;
  private static ClipModel model;
  private static JsonNode expectedJson;

  @BeforeAll
  static void load() throws IOException {
    dir = TestModels.tinySiglip();
    model = ClipModels.load(dir, CPU);
    expectedJson = JSON.readTree(dir.resolve("expected.json").toFile());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void reads_siglips_facts_from_its_config_files() {
    ModelSpec spec = model.spec();
    JsonNode config = readJson(dir.resolve("config.json"));
    JsonNode processor = readJson(dir.resolve("preprocessor_config.json"));
    assertEquals(config.at("/text_config/max_position_embeddings").asInt(), spec.contextLength());
    assertEquals(config.at("/vision_config/hidden_size").asInt(), spec.dimension());
    assertEquals(PreprocessConfig.Resize.SQUASH, spec.preprocess().resize());
    assertEquals(processor.at("/size/height").asInt(), spec.preprocess().size());
    for (int c = 0; c < 3; c++) {
      assertEquals(
          (float) processor.at("/image_mean/" + c).asDouble(), spec.preprocess().mean()[c]);
      assertEquals((float) processor.at("/image_std/" + c).asDouble(), spec.preprocess().std()[c]);
    }
    ScoreFunction scores = spec.scores();
    assertEquals(ScoreFunction.Kind.SIGMOID, scores.kind());
    assertEquals(Math.exp(config.get("logit_scale").asDouble()), scores.scale(), 1e-5);
    assertEquals(config.get("logit_bias").asDouble(), scores.bias(), 1e-6);
    assertTrue(spec.id().matches("random-siglip-tiny-[0-9a-f]{12}"), spec.id());
    assertEquals(ModelLayout.HUGGING_FACE, ((OnnxClipModel) model).layout());
  }

  @Test
  void the_tokenizer_is_the_unigram_one_and_gives_the_reference_ids() {
    TextTokenizer tokenizer = Tokenizers.load(dir.resolve("tokenizer.json"));
    assertTrue(tokenizer instanceof UnigramTokenizer, tokenizer.getClass().getName());
    for (ExpectedEmbeddings.Text t : ExpectedEmbeddings.read(dir).texts()) {
      assertArrayEquals(t.ids(), tokenizer.encode(t.text(), 64), t.text());
    }
  }

  @Test
  void text_vectors_match_the_numpy_forward_pass_of_texts_padded_to_64_tokens() {
    ExpectedEmbeddings expected = ExpectedEmbeddings.read(dir);
    float[][] vectors = model.encodeTexts(expected.textInputs());
    for (int i = 0; i < vectors.length; i++) {
      assertClose(
          expected.texts().get(i).embedding(),
          vectors[i],
          "text " + expected.texts().get(i).text());
    }
    // one at a time gives the same: padding is to the context, not to the batch's longest text
    float[][] alone = model.encodeTexts(List.of(expected.textInputs().get(0)));
    assertClose(vectors[0], alone[0], "text 0 alone");
  }

  @Test
  void image_vectors_match_the_numpy_forward_pass() {
    ExpectedEmbeddings expected = ExpectedEmbeddings.read(dir);
    float[][] vectors = model.encodeImages(expected.imageTensors());
    for (int i = 0; i < vectors.length; i++) {
      assertClose(
          expected.images().get(i).embedding(), vectors[i], expected.images().get(i).name());
    }
  }

  @Test
  void the_sigmoid_uses_the_scale_and_bias_of_the_config() {
    ScoreFunction scores = model.spec().scores();
    double scale = Math.exp(expectedJson.get("logit_scale").asDouble());
    double bias = expectedJson.get("logit_bias").asDouble();
    double[] cosines = {-0.5, 0.0, 0.3, 1.0};
    double[] probabilities = scores.scores(cosines);
    for (int i = 0; i < cosines.length; i++) {
      assertEquals(1 / (1 + Math.exp(-(scale * cosines[i] + bias))), probabilities[i], 1e-6);
    }
  }

  @Test
  void without_scale_and_bias_in_the_config_the_scores_are_plain_cosines() throws IOException {
    Path copy = copyWithConfig(c -> c.remove(List.of("logit_scale", "logit_bias")));
    try (ClipModel bare = ClipModels.load(copy, CPU)) {
      assertEquals(ScoreFunction.cosine(), bare.spec().scores());
      assertTrue(!bare.spec().scores().probabilities());
    }
  }

  @Test
  void a_config_with_a_scale_but_no_bias_is_refused_naming_the_field() throws IOException {
    Path copy = copyWithConfig(c -> c.remove("logit_bias"));
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> ClipModels.load(copy, CPU));
    assertTrue(e.getMessage().contains("logit_bias"), e.getMessage());
  }

  @Test
  void a_siglip_processor_that_asks_for_a_center_crop_is_refused() throws IOException {
    Path copy = copyWithConfig(c -> {});
    ObjectNode processor = (ObjectNode) readJson(copy.resolve("preprocessor_config.json"));
    processor.put("do_center_crop", true);
    JSON.writeValue(copy.resolve("preprocessor_config.json").toFile(), processor);
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> ClipModels.preprocessing(copy));
    assertTrue(e.getMessage().contains("do_center_crop"), e.getMessage());
  }

  private Path copyWithConfig(java.util.function.Consumer<ObjectNode> edit) throws IOException {
    Path copy = temp.resolve("siglip");
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.toList()) {
        Path target = copy.resolve(dir.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    ObjectNode config = (ObjectNode) readJson(copy.resolve("config.json"));
    edit.accept(config);
    JSON.writeValue(copy.resolve("config.json").toFile(), config);
    return copy;
  }

  private static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-4f, what + ": component " + i);
    }
  }
}
