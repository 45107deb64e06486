package dev.clipsearch.models.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.testing.TestModels;
import dev.clipsearch.models.testing.TestModels.Layout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest whose text tower is the real all-MiniLM-L6-v2 (an optimum export: int64 input_ids,
 * attention_mask, token_type_ids, dynamic axes, last_hidden_state) read from a jar on the test
 * classpath, as the offline model of a later issue will be; mean pooling, normalization and a
 * seeded random projection to the tiny image tower's 64 dimensions.
 */
class SentenceTransformerTextTowerTest {

  static final long SEED = 7;

  @Test
  void a_sentence_transformer_from_a_jar_encodes_with_mask_aware_mean_pooling(@TempDir Path tmp)
      throws IOException {
    Path dir = tmp.resolve("model");
    OnnxClipModelTest.copyTree(TestModels.tiny(Layout.MANIFEST), dir);
    writeProjection(dir.resolve("text/minilm-projection.f32"), 384, 64);
    Files.writeString(
        dir.resolve("clipsearch-model.json"),
        """
        {
          "format": "clipsearch-model/1",
          "id": "tiny-image-minilm-text",
          "image": { "onnx": "image/model.onnx" },
          "text": {
            "onnx": "classpath:all-minilm-l6-v2.onnx",
            "tokenizer": "classpath:all-minilm-l6-v2-tokenizer.json",
            "contextLength": 128,
            "pooling": "mean",
            "normalizeBeforeProjection": true,
            "projection": { "file": "text/minilm-projection.f32", "shape": [384, 64] }
          }
        }
        """);
    List<String> texts =
        List.of(
            "a photo of a cat",
            "a picture of a kitten sleeping on a sofa",
            "quarterly stock market report for investors",
            "red running shoes");
    try (ClipModel model = ClipModels.load(dir, OnnxClipModelTest.CPU)) {
      assertEquals(64, model.dimension());
      assertEquals(128, model.spec().contextLength());
      float[][] batch = model.encodeTexts(texts);
      for (int i = 0; i < texts.size(); i++) {
        // the batch pads the short texts: a wrong mask would change their vectors
        OnnxClipModelTest.assertClose(
            model.encodeTexts(List.of(texts.get(i)))[0], batch[i], 1e-5f, "text " + i);
      }
      double related = OnnxClipModelTest.dot(batch[0], batch[1]);
      double unrelated = OnnxClipModelTest.dot(batch[0], batch[2]);
      assertTrue(
          related > unrelated + 0.2,
          "cat/kitten "
              + related
              + " vs cat/stock market "
              + unrelated
              + ", projection seed "
              + SEED);
    }
  }

  /** A Gaussian random projection: it roughly keeps angles, so MiniLM's similarities survive. */
  static void writeProjection(Path file, int inputs, int outputs) throws IOException {
    Random random = new Random(SEED);
    ByteBuffer bytes =
        ByteBuffer.allocate(inputs * outputs * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < inputs * outputs; i++) {
      bytes.putFloat((float) (random.nextGaussian() / Math.sqrt(outputs)));
    }
    Files.write(file, bytes.array());
  }
}
