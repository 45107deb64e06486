package dev.clipsearch.models.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.Variant;
import dev.clipsearch.models.testing.TestModels;
import dev.clipsearch.models.testing.TestModels.Layout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sentence-transformers layout (clip-ViT-B-32-multilingual-v1's) read from what its files say,
 * and refused, naming the file, where they say something the runtime does not do. The tiny twin's
 * vectors against numpy are checked by {@link OnnxClipModelTest}.
 */
class SentenceTransformersLayoutTest {

  @TempDir Path tmp;

  private Path copy() throws IOException {
    Path dir = tmp.resolve("model");
    OnnxClipModelTest.copyTree(TestModels.tiny(Layout.SENTENCE_TRANSFORMERS), dir);
    return dir;
  }

  private static ModelLoadException refused(Path dir) {
    return assertThrows(
        ModelLoadException.class, () -> ClipModels.load(dir, OnnxClipModelTest.CPU).close());
  }

  @Test
  void the_layout_is_recognised_by_its_files_and_offers_fp32_only() throws IOException {
    Path dir = copy();
    assertEquals(java.util.Set.of(Variant.FP32), ModelDirectory.offered(dir));
    ModelDescription description =
        ModelDirectory.read(dir, Variant.FP32, getClass().getClassLoader());
    assertEquals(ModelLayout.SENTENCE_TRANSFORMERS, description.layout());
    assertEquals(128, description.text().contextLength(), "sentence_bert_config max_seq_length");
    assertEquals(64, description.dimension(), "the Dense layer's out_features");
    assertEquals("linear.weight", description.text().dense().weight());
    assertEquals(null, description.text().dense().bias(), "bias false");
    ModelLoadException e =
        assertThrows(
            ModelLoadException.class,
            () -> ClipModels.load(dir, OnnxClipModelTest.CPU.withVariant(Variant.FP16)));
    assertTrue(e.getMessage().contains("no fp16 variant"), e.getMessage());
  }

  @Test
  void the_context_length_follows_sentence_bert_config() throws IOException {
    Path dir = copy();
    Files.writeString(
        dir.resolve("sentence_bert_config.json"),
        "{\"max_seq_length\": 16, \"do_lower_case\": false}");
    try (ClipModel model = ClipModels.load(dir, OnnxClipModelTest.CPU)) {
      assertEquals(16, model.spec().contextLength());
    }
  }

  @Test
  void a_dense_bias_and_tanh_from_the_config_change_the_vectors_as_torch_would()
      throws IOException {
    Path dir = copy();
    List<String> texts = List.of("a photo of a cat", "rote Laufschuhe");
    float[][] plain;
    try (ClipModel model = ClipModels.load(dir, OnnxClipModelTest.CPU)) {
      plain = model.encodeTexts(texts);
    }
    Files.writeString(
        dir.resolve("2_Dense/config.json"),
        "{\"in_features\": 32, \"out_features\": 64, \"bias\": false,"
            + " \"activation_function\": \"torch.nn.modules.activation.Tanh\"}");
    try (ClipModel model = ClipModels.load(dir, OnnxClipModelTest.CPU)) {
      float[][] tanh = model.encodeTexts(texts);
      assertTrue(OnnxClipModelTest.dot(plain[0], tanh[0]) < 0.9999, "tanh must change the vector");
    }
  }

  @Test
  void pooling_other_than_mean_is_refused_naming_the_file_and_the_mode() throws IOException {
    Path dir = copy();
    Files.writeString(
        dir.resolve("1_Pooling/config.json"),
        "{\"word_embedding_dimension\": 32, \"pooling_mode_cls_token\": true,"
            + " \"pooling_mode_mean_tokens\": false}");
    ModelLoadException e = refused(dir);
    assertTrue(e.getMessage().contains("1_Pooling/config.json"), e.getMessage());
    assertTrue(e.getMessage().contains("pooling_mode_cls_token"), e.getMessage());
  }

  @Test
  void a_dense_layer_without_safetensors_is_refused_saying_why() throws IOException {
    Path dir = copy();
    Files.delete(dir.resolve("2_Dense/model.safetensors"));
    Files.write(dir.resolve("2_Dense/pytorch_model.bin"), new byte[] {1, 2, 3});
    ModelLoadException e = refused(dir);
    assertTrue(e.getMessage().contains("2_Dense/model.safetensors"), e.getMessage());
    assertTrue(e.getMessage().contains("pytorch_model.bin"), e.getMessage());
  }

  @Test
  void an_image_tower_of_another_dimension_is_refused() throws IOException {
    Path dir = copy();
    Path config = dir.resolve("image/config.json");
    Files.writeString(
        config,
        Files.readString(config).replace("\"projection_dim\": 64", "\"projection_dim\": 48"));
    ModelLoadException e = refused(dir);
    assertTrue(e.getMessage().contains("48-d"), e.getMessage());
    assertTrue(e.getMessage().contains("image/config.json"), e.getMessage());
  }

  @Test
  void a_missing_image_tower_is_named() throws IOException {
    Path dir = copy();
    Files.delete(dir.resolve("image/onnx/vision_model.onnx"));
    ModelLoadException e = refused(dir);
    assertTrue(e.getMessage().contains("image/onnx/vision_model.onnx"), e.getMessage());
  }

  @Test
  void unsupported_modules_are_refused_listing_them() throws IOException {
    Path dir = copy();
    Files.writeString(
        dir.resolve("modules.json"),
        "[{\"path\": \"\", \"type\": \"sentence_transformers.models.Transformer\"},"
            + " {\"path\": \"1_Pooling\", \"type\": \"sentence_transformers.models.Pooling\"},"
            + " {\"path\": \"2_CNN\", \"type\": \"sentence_transformers.models.CNN\"}]");
    ModelLoadException e = refused(dir);
    assertTrue(e.getMessage().contains("sentence_transformers.models.CNN"), e.getMessage());
    assertTrue(e.getMessage().contains("modules.json"), e.getMessage());
  }

  @Test
  void safetensors_f16_and_bf16_weights_read_as_float32() throws IOException {
    // header, then F16 [2] = {1.5, -2}, then BF16 [2] = {0.5, 3}
    String header =
        "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
            + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[4,8]}}";
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer file = ByteBuffer.allocate(8 + json.length + 8).order(ByteOrder.LITTLE_ENDIAN);
    file.putLong(json.length).put(json);
    file.putShort(Float.floatToFloat16(1.5f)).putShort(Float.floatToFloat16(-2f));
    file.putShort((short) (Float.floatToIntBits(0.5f) >>> 16));
    file.putShort((short) (Float.floatToIntBits(3f) >>> 16));
    Path path = Files.write(tmp.resolve("w.safetensors"), file.array());
    ModelSource source = new ModelSource.FileSource(path);
    assertArrayEquals(new float[] {1.5f, -2f}, SafeTensors.read(source, "h").values());
    assertArrayEquals(new float[] {0.5f, 3f}, SafeTensors.read(source, "b").values());
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> SafeTensors.read(source, "linear.weight"));
    assertTrue(e.getMessage().contains("it holds h, b"), e.getMessage());
  }
}
