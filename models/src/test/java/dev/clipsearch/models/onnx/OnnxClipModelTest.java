package dev.clipsearch.models.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.Variant;
import dev.clipsearch.models.image.PreprocessConfig;
import dev.clipsearch.models.testing.ExpectedEmbeddings;
import dev.clipsearch.models.testing.TestModels;
import dev.clipsearch.models.testing.TestModels.Layout;
import dev.clipsearch.models.text.TextTokenizer;
import dev.clipsearch.models.text.Tokenizers;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The runtime against the generated tiny models of every layout: vectors must equal the generator's
 * numpy forward pass of the same weights, which pins down how inputs are tokenized, padded, typed,
 * batched, pooled and projected.
 */
class OnnxClipModelTest {

  /** Float32 inference against a float64 reference, on unit vectors. */
  static final float TOLERANCE = 1e-4f;

  static final RuntimeOptions CPU =
      RuntimeOptions.defaults().withDevice(Device.CPU).withIntraOpThreads(2);

  static final Map<Layout, ClipModel> MODELS = new EnumMap<>(Layout.class);

  @BeforeAll
  static void loadEveryLayout() {
    for (Layout layout : Layout.values()) {
      MODELS.put(layout, ClipModels.load(TestModels.tiny(layout), CPU));
    }
  }

  @AfterAll
  static void close() {
    MODELS.values().forEach(ClipModel::close);
  }

  static String context(Layout layout) {
    return layout + " tiny model, seed " + TestModels.SEED + ", " + TestModels.tiny(layout);
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void reads_the_spec_from_the_model_files(Layout layout) {
    ModelSpec spec = MODELS.get(layout).spec();
    assertEquals(64, spec.dimension(), context(layout));
    assertEquals(
        layout == Layout.MANIFEST || layout == Layout.SENTENCE_TRANSFORMERS ? 128 : 77,
        spec.contextLength(),
        context(layout));
    assertEquals(PreprocessConfig.CLIP, spec.preprocess(), context(layout));
    assertEquals(100f, spec.logitScale(), context(layout));
    String name =
        switch (layout) {
          case HF -> "random-clip-tiny";
          case OPEN_CLIP -> "open-clip";
          case MANIFEST -> "random-clip-minilm-tiny";
          case SENTENCE_TRANSFORMERS -> "random-clip-multilingual-tiny";
        };
    assertTrue(spec.id().matches(name + "-[0-9a-f]{12}"), spec.id());
    OnnxClipModel model = (OnnxClipModel) MODELS.get(layout);
    assertEquals(Device.CPU, model.device());
    assertEquals(layout.dirName(), model.layout().toString());
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void preprocessing_can_be_read_without_loading_the_model(Layout layout) {
    assertEquals(
        MODELS.get(layout).spec().preprocess(), ClipModels.preprocessing(TestModels.tiny(layout)));
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void tokenizer_gives_the_reference_ids(Layout layout) {
    Path dir = TestModels.tiny(layout);
    Path file =
        switch (layout) {
          case HF -> dir.resolve("tokenizer.json");
          case OPEN_CLIP -> dir.resolve("textual/bpe_simple_vocab_16e6.txt.gz");
          case MANIFEST -> dir.resolve("text/tokenizer.json");
          case SENTENCE_TRANSFORMERS -> dir.resolve("tokenizer.json");
        };
    TextTokenizer tokenizer = Tokenizers.load(file);
    int context = MODELS.get(layout).spec().contextLength();
    for (ExpectedEmbeddings.Text t : ExpectedEmbeddings.read(dir).texts()) {
      assertArrayEquals(t.ids(), tokenizer.encode(t.text(), context), "'" + t.text() + "' " + file);
    }
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void text_vectors_match_the_numpy_reference(Layout layout) {
    ExpectedEmbeddings expected = ExpectedEmbeddings.read(TestModels.tiny(layout));
    float[][] vectors = MODELS.get(layout).encodeTexts(expected.textInputs());
    for (int i = 0; i < vectors.length; i++) {
      ExpectedEmbeddings.Text t = expected.texts().get(i);
      assertClose(
          t.embedding(), vectors[i], TOLERANCE, "text '" + t.text() + "', " + context(layout));
    }
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void image_vectors_match_the_numpy_reference(Layout layout) {
    ExpectedEmbeddings expected = ExpectedEmbeddings.read(TestModels.tiny(layout));
    float[][] vectors = MODELS.get(layout).encodeImages(expected.imageTensors());
    for (int i = 0; i < vectors.length; i++) {
      ExpectedEmbeddings.Image image = expected.images().get(i);
      assertClose(image.embedding(), vectors[i], TOLERANCE, image.name() + ", " + context(layout));
    }
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void vectors_have_unit_length_and_the_models_dimension(Layout layout) {
    ClipModel model = MODELS.get(layout);
    ExpectedEmbeddings expected = ExpectedEmbeddings.read(TestModels.tiny(layout));
    List<float[]> all = new ArrayList<>();
    all.addAll(Arrays.asList(model.encodeTexts(expected.textInputs())));
    all.addAll(Arrays.asList(model.encodeTexts(List.of("", "   ", "ünïcödé 東京 🙂"))));
    all.addAll(Arrays.asList(model.encodeImages(expected.imageTensors())));
    for (float[] v : all) {
      assertEquals(model.dimension(), v.length, context(layout));
      double norm = 0;
      for (float x : v) {
        norm += x * x;
      }
      assertEquals(1.0, Math.sqrt(norm), 1e-5, context(layout));
    }
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void a_batch_gives_the_vectors_of_one_input_at_a_time(Layout layout) {
    ClipModel model = MODELS.get(layout);
    ExpectedEmbeddings expected = ExpectedEmbeddings.read(TestModels.tiny(layout));
    List<String> texts = expected.textInputs(); // lengths 3 to the full context: padding varies
    float[][] batch = model.encodeTexts(texts);
    for (int i = 0; i < texts.size(); i++) {
      assertClose(
          model.encodeTexts(List.of(texts.get(i)))[0],
          batch[i],
          1e-5f,
          "text " + i + ", " + context(layout));
    }
    List<float[]> images = expected.imageTensors();
    float[][] imageBatch = model.encodeImages(images);
    for (int i = 0; i < images.size(); i++) {
      assertClose(
          model.encodeImages(List.of(images.get(i)))[0],
          imageBatch[i],
          1e-5f,
          "image " + i + ", " + context(layout));
    }
  }

  @Test
  void batches_split_by_the_batch_size_give_the_same_vectors() {
    ExpectedEmbeddings expected = ExpectedEmbeddings.read(TestModels.tiny(Layout.MANIFEST));
    try (ClipModel small =
        ClipModels.load(TestModels.tiny(Layout.MANIFEST), CPU.withBatchSize(2))) {
      float[][] whole = MODELS.get(Layout.MANIFEST).encodeTexts(expected.textInputs());
      float[][] split = small.encodeTexts(expected.textInputs());
      for (int i = 0; i < whole.length; i++) {
        assertClose(whole[i], split[i], 1e-5f, "text " + i);
      }
      assertEquals(
          MODELS.get(Layout.MANIFEST).id(), small.id(), "batch size is not part of the id");
    }
  }

  @Test
  void int64_dynamic_length_and_int32_fixed_length_text_towers_agree() {
    // hf: input_ids int64 [batch, tokens], padded to the longest text; open_clip: text int32
    // [1, 77], padded to 77. Same weights, so the same vectors.
    List<String> texts = ExpectedEmbeddings.read(TestModels.tiny(Layout.HF)).textInputs();
    float[][] hf = MODELS.get(Layout.HF).encodeTexts(texts);
    float[][] openClip = MODELS.get(Layout.OPEN_CLIP).encodeTexts(texts);
    for (int i = 0; i < texts.size(); i++) {
      assertClose(hf[i], openClip[i], 1e-5f, "text '" + texts.get(i) + "'");
    }
  }

  @Test
  void every_layout_gives_the_same_image_vectors() {
    List<float[]> images = ExpectedEmbeddings.read(TestModels.tiny(Layout.HF)).imageTensors();
    float[][] hf = MODELS.get(Layout.HF).encodeImages(images);
    for (Layout layout : List.of(Layout.OPEN_CLIP, Layout.MANIFEST)) {
      float[][] other = MODELS.get(layout).encodeImages(images);
      for (int i = 0; i < images.size(); i++) {
        assertClose(hf[i], other[i], 1e-5f, "image " + i + ", " + layout);
      }
    }
  }

  @Test
  void different_inputs_give_different_vectors() {
    ClipModel model = MODELS.get(Layout.HF);
    float[][] v = model.encodeTexts(List.of("red running shoes", "a photo of a cat"));
    assertTrue(dot(v[0], v[1]) < 0.99, "cosine " + dot(v[0], v[1]));
    float[][] images =
        model.encodeImages(ExpectedEmbeddings.read(TestModels.tiny(Layout.HF)).imageTensors());
    assertTrue(dot(images[0], images[2]) < 0.99, "cosine " + dot(images[0], images[2]));
  }

  @Test
  void ids_are_stable_across_loads_and_locations_and_differ_between_models(@TempDir Path tmp)
      throws IOException {
    Path copy = tmp.resolve("moved");
    copyTree(TestModels.tiny(Layout.HF), copy);
    try (ClipModel again = ClipModels.load(copy, CPU)) {
      assertEquals(MODELS.get(Layout.HF).id(), again.id());
      assertArrayEquals(
          MODELS.get(Layout.HF).encodeTexts(List.of("a photo of a cat"))[0],
          again.encodeTexts(List.of("a photo of a cat"))[0],
          "the same model loads to the same function");
    }
    assertEquals(
        Layout.values().length,
        MODELS.values().stream().map(ClipModel::id).distinct().count(),
        "one id per model");
  }

  @ParameterizedTest
  @EnumSource(
      value = Variant.class,
      names = {"FP16", "QUANTIZED"})
  void hf_variants_load_with_their_own_id_and_stay_close_to_fp32(Variant variant) {
    ClipModel fp32 = MODELS.get(Layout.HF);
    ExpectedEmbeddings expected = ExpectedEmbeddings.read(TestModels.tiny(Layout.HF));
    try (ClipModel model = ClipModels.load(TestModels.tiny(Layout.HF), CPU.withVariant(variant))) {
      assertNotEquals(fp32.id(), model.id());
      float[][] a = fp32.encodeTexts(expected.textInputs());
      float[][] b = model.encodeTexts(expected.textInputs());
      float[][] c = fp32.encodeImages(expected.imageTensors());
      float[][] d = model.encodeImages(expected.imageTensors());
      for (int i = 0; i < a.length; i++) {
        assertTrue(dot(a[i], b[i]) > 0.99, variant + " text " + i + " cosine " + dot(a[i], b[i]));
      }
      for (int i = 0; i < c.length; i++) {
        assertTrue(dot(c[i], d[i]) > 0.99, variant + " image " + i + " cosine " + dot(c[i], d[i]));
      }
    }
  }

  @Test
  void only_hugging_face_exports_offer_variants() {
    ModelLoadException e =
        assertThrows(
            ModelLoadException.class,
            () ->
                ClipModels.load(TestModels.tiny(Layout.OPEN_CLIP), CPU.withVariant(Variant.FP16)));
    assertTrue(e.getMessage().contains("no fp16 variant"), e.getMessage());
  }

  @Test
  void concurrent_callers_get_the_sequential_results() throws Exception {
    ClipModel model = MODELS.get(Layout.HF);
    ExpectedEmbeddings expected = ExpectedEmbeddings.read(TestModels.tiny(Layout.HF));
    float[][] texts = model.encodeTexts(expected.textInputs());
    float[][] images = model.encodeImages(expected.imageTensors());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int task = 0; task < 8; task++) {
        boolean text = task % 2 == 0;
        results.add(
            pool.submit(
                () -> {
                  float[][] got =
                      text
                          ? model.encodeTexts(expected.textInputs())
                          : model.encodeImages(expected.imageTensors());
                  return Arrays.deepEquals(got, text ? texts : images);
                }));
      }
      for (Future<Boolean> r : results) {
        assertTrue(r.get(60, TimeUnit.SECONDS), "a concurrent call returned other vectors");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void a_text_tower_on_the_classpath_gives_the_same_vectors_as_from_files(@TempDir Path tmp)
      throws IOException {
    Path original = TestModels.tiny(Layout.MANIFEST);
    Path dir = tmp.resolve("model");
    copyTree(original, dir);
    Path manifest = dir.resolve("clipsearch-model.json");
    Files.writeString(
        manifest,
        Files.readString(manifest)
            .replace("\"text/model.onnx\"", "\"classpath:text/model.onnx\"")
            .replace("\"text/tokenizer.json\"", "\"classpath:/text/tokenizer.json\""));
    Files.delete(dir.resolve("text/model.onnx"));
    Files.delete(dir.resolve("text/tokenizer.json"));
    List<String> texts = ExpectedEmbeddings.read(original).textInputs();
    try (URLClassLoader jar = new URLClassLoader(new URL[] {original.toUri().toURL()}, null);
        ClipModel model = ClipModels.load(dir, CPU, jar)) {
      float[][] fromFiles = MODELS.get(Layout.MANIFEST).encodeTexts(texts);
      float[][] fromClasspath = model.encodeTexts(texts);
      for (int i = 0; i < texts.size(); i++) {
        assertArrayEquals(fromFiles[i], fromClasspath[i], "text " + i);
      }
    }
  }

  @Test
  void bad_inputs_are_rejected_naming_the_item() {
    ClipModel model = MODELS.get(Layout.HF);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.encodeImages(List.of(new float[3 * 224 * 224], new float[10])));
    assertTrue(e.getMessage().startsWith("image 1: expected a 3x224x224 tensor"), e.getMessage());
    List<String> withNull = Arrays.asList("ok", null);
    e = assertThrows(IllegalArgumentException.class, () -> model.encodeTexts(withNull));
    assertEquals("text 1 is null", e.getMessage());
    assertEquals(0, model.encodeTexts(List.of()).length);
  }

  @Test
  void a_closed_model_refuses_to_encode() {
    ClipModel model = ClipModels.load(TestModels.tiny(Layout.OPEN_CLIP), CPU);
    model.close();
    model.close();
    assertThrows(IllegalStateException.class, () -> model.encodeTexts(List.of("x")));
  }

  static void assertClose(float[] expected, float[] actual, float tolerance, String what) {
    assertEquals(expected.length, actual.length, what + ": dimension");
    for (int i = 0; i < expected.length; i++) {
      if (Math.abs(expected[i] - actual[i]) > tolerance) {
        throw new AssertionError(
            what
                + ": component "
                + i
                + " is "
                + actual[i]
                + ", expected "
                + expected[i]
                + " within "
                + tolerance);
      }
    }
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void a_text_fits_the_context_exactly_when_its_tokens_and_the_two_markers_do(Layout layout) {
    ClipModel model = MODELS.get(layout);
    int context = model.spec().contextLength();
    // "a" is one token in CLIP's BPE and in WordPiece (a word of its own, or unknown).
    String fits = "a ".repeat(context - 2).strip();
    String tooLong = "a ".repeat(context - 1).strip();
    assertTrue(model.fitsContext(fits), context(layout));
    assertFalse(model.fitsContext(tooLong), context(layout));
    assertFalse(model.fitsContext("a ".repeat(10 * context)), context(layout));
  }
}
