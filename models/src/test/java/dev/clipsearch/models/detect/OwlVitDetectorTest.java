package dev.clipsearch.models.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.image.DecodedImage;
import dev.clipsearch.models.testing.TinyOwlVit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a tiny random-weight OWL-ViT-shaped model written by
 * models/generator/generate_owlvit.py: both directory layouts load, sizes come from the configs,
 * the outputs have the documented shapes, and detections are exactly the post-processing of the raw
 * outputs. Random weights: nothing here is about detection quality.
 */
class OwlVitDetectorTest {

  private static final long SEED = 20261203L;
  private static final List<String> LABELS = List.of("a lamp", "a couch", "a rug");

  @TempDir static Path temp;
  private static Path generated;
  private static OwlVitDetector transformersJs;
  private static OwlVitDetector optimum;

  @BeforeAll
  static void load() {
    generated = TinyOwlVit.dir();
    RuntimeOptions options = RuntimeOptions.defaults().withIntraOpThreads(1);
    transformersJs = OwlVitDetector.load(generated.resolve("transformersjs"), options);
    optimum = OwlVitDetector.load(generated.resolve("optimum"), options);
  }

  @AfterAll
  static void close() {
    if (transformersJs != null) {
      transformersJs.close();
    }
    if (optimum != null) {
      optimum.close();
    }
  }

  private static DecodedImage image(int width, int height, long seed) {
    byte[] pixels = new byte[width * height * 3];
    new Random(seed).nextBytes(pixels);
    return new DecodedImage(width, height, 3, pixels);
  }

  @Test
  void readsSizesFromTheConfigFiles() {
    OwlVitConfig config = transformersJs.config();
    assertEquals(128, config.imageSize());
    assertEquals(32, config.patchSize());
    assertEquals(16, config.patches());
    assertEquals(16, config.queryLength());
    assertEquals(0, config.padId(), "the pad token \"!\" of tokenizer_config.json");
    assertEquals(config, optimum.config());
  }

  @Test
  void outputsHaveTheDocumentedShapesAndBothLayoutsAgree() {
    DecodedImage image = image(200, 120, SEED);
    float[] pixels = new OwlVitPreprocessor(transformersJs.config().preprocess()).preprocess(image);
    OwlVitQueries queries = OwlVitQueries.encode(tokenizer(), LABELS, 16, 0);
    OwlVitDetector.Raw a = transformersJs.infer(pixels, queries);
    OwlVitDetector.Raw b = optimum.infer(pixels, queries);
    assertEquals(16, a.patches());
    assertEquals(16 * LABELS.size(), a.logits().length);
    assertEquals(16 * 4, a.boxes().length);
    for (float v : a.boxes()) {
      assertTrue(v > 0 && v < 1, "pred_boxes come out of a sigmoid: " + v);
    }
    assertArrayEquals(a.logits(), b.logits(), 1e-5f);
    assertArrayEquals(a.boxes(), b.boxes(), 1e-5f);
  }

  @Test
  void theQueriesReachTheLogits() {
    DecodedImage image = image(64, 64, SEED + 1);
    float[] pixels = new OwlVitPreprocessor(transformersJs.config().preprocess()).preprocess(image);
    float[] one =
        transformersJs.infer(pixels, OwlVitQueries.encode(tokenizer(), LABELS, 16, 0)).logits();
    List<String> reversed = new ArrayList<>(LABELS);
    Collections.reverse(reversed);
    float[] two =
        transformersJs.infer(pixels, OwlVitQueries.encode(tokenizer(), reversed, 16, 0)).logits();
    int q = LABELS.size();
    for (int p = 0; p < 16; p++) {
      for (int i = 0; i < q; i++) {
        assertEquals(one[p * q + i], two[p * q + (q - 1 - i)], 1e-4, "patch " + p + " query " + i);
      }
    }
    assertFalse(one[0] == one[1] && one[1] == one[2], "different queries give different logits");
  }

  @Test
  void detectionsAreThePostProcessedOutputsInPixelsOfTheImage() {
    DecodedImage image = image(300, 150, SEED + 2);
    DetectOptions everything = new DetectOptions(0f, 1000, false, 0.5f);
    List<Detection> detections = transformersJs.detect(image, LABELS, everything);
    assertEquals(16, detections.size(), "threshold 0 keeps one detection per patch");

    float[] pixels = new OwlVitPreprocessor(transformersJs.config().preprocess()).preprocess(image);
    OwlVitDetector.Raw raw =
        transformersJs.infer(pixels, OwlVitQueries.encode(tokenizer(), LABELS, 16, 0));
    List<Detection> expected =
        new ArrayList<>(
            OwlVitPostprocessor.postProcess(raw.logits(), raw.boxes(), null, LABELS, 300, 150, 0f));
    expected.sort(NonMaxSuppression.BEST_FIRST);
    assertEquals(expected, detections);
    for (int i = 1; i < detections.size(); i++) {
      assertTrue(detections.get(i - 1).score() >= detections.get(i).score(), "best first");
    }

    List<Detection> limited =
        transformersJs.detect(image, LABELS, DetectOptions.defaults().withThreshold(0f));
    assertTrue(limited.size() <= detections.size());
    assertEquals(
        NonMaxSuppression.perLabel(detections, DetectOptions.DEFAULT_NMS_IOU),
        limited,
        "NMS on by default");
  }

  @Test
  void rejectsBadLabels() {
    DecodedImage image = image(32, 32, SEED);
    DetectOptions options = DetectOptions.defaults();
    assertThrows(
        IllegalArgumentException.class, () -> transformersJs.detect(image, List.of(), options));
    assertThrows(
        IllegalArgumentException.class,
        () -> transformersJs.detect(image, List.of("a lamp", " "), options));
    List<String> seventeen = Collections.nCopies(17, "a lamp");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> transformersJs.detect(image, seventeen, options));
    assertTrue(e.getMessage().contains("16"), e.getMessage());
  }

  @Test
  void aDirectoryWithoutAGraphIsRefusedByName() throws IOException {
    Path empty = Files.createDirectories(temp.resolve("empty"));
    ModelLoadException e =
        assertThrows(
            ModelLoadException.class, () -> OwlVitDetector.load(empty, RuntimeOptions.defaults()));
    assertTrue(e.getMessage().contains("onnx/model.onnx"), e.getMessage());
  }

  private static dev.clipsearch.models.text.TextTokenizer tokenizer() {
    return dev.clipsearch.models.text.Tokenizers.load(
        generated.resolve("transformersjs/tokenizer.json"));
  }
}
