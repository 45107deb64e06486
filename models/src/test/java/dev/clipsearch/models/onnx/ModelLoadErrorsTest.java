package dev.clipsearch.models.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.Variant;
import dev.clipsearch.models.testing.TestModels;
import dev.clipsearch.models.testing.TestModels.Layout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken model directories fail at load with a message that names the file and the problem. */
class ModelLoadErrorsTest {

  static final RuntimeOptions CPU = RuntimeOptions.defaults().withDevice(Device.CPU);

  @TempDir Path tmp;

  static ModelLoadException failure(Path dir) {
    return failure(dir, CPU);
  }

  static ModelLoadException failure(Path dir, RuntimeOptions options) {
    return assertThrows(ModelLoadException.class, () -> ClipModels.load(dir, options).close());
  }

  static void assertMentions(ModelLoadException e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
    }
  }

  Path copyOf(Layout layout) throws IOException {
    Path dir = tmp.resolve(layout.dirName());
    OnnxClipModelTest.copyTree(TestModels.tiny(layout), dir);
    return dir;
  }

  void editManifest(Path dir, UnaryOperator<String> edit) throws IOException {
    Path manifest = dir.resolve("clipsearch-model.json");
    Files.writeString(manifest, edit.apply(Files.readString(manifest)));
  }

  @Test
  void a_missing_directory_is_named() {
    Path missing = tmp.resolve("nope");
    assertMentions(failure(missing), "model directory " + missing + " not found");
  }

  @Test
  void a_directory_with_no_known_layout_lists_its_files() throws IOException {
    Files.createDirectories(tmp.resolve("onnx"));
    Files.writeString(tmp.resolve("onnx/model.onnx"), "x");
    Files.writeString(tmp.resolve("README.md"), "x");
    assertMentions(
        failure(tmp),
        "no model found in " + tmp,
        "files found: README.md, onnx/, onnx/model.onnx",
        "manifest (the project's manifest, naming its own ONNX and tokenizer files):"
            + " clipsearch-model.json; present: none; missing: clipsearch-model.json",
        "hf (Hugging Face / transformers.js",
        "onnx/vision_model.onnx, onnx/text_model.onnx, tokenizer.json, config.json"
            + " (optional: preprocessor_config.json)",
        "open_clip (open_clip as Immich exports it): visual/model.onnx, textual/model.onnx,"
            + " config.json, textual/tokenizer.json or textual/bpe_simple_vocab_16e6.txt.gz",
        "onnx/model.onnx looks like the whole CLIP in one ONNX file");
  }

  @Test
  void the_unknown_layout_error_says_what_of_each_layout_is_there_and_what_is_missing()
      throws IOException {
    Files.createDirectories(tmp.resolve("textual"));
    Files.writeString(tmp.resolve("config.json"), "{}");
    Files.writeString(tmp.resolve("textual/bpe_simple_vocab_16e6.txt.gz"), "x");
    Files.writeString(tmp.resolve("tokenizer.json"), "{}");
    ModelLoadException e = failure(tmp);
    assertMentions(
        e,
        "present: tokenizer.json, config.json; missing: onnx/vision_model.onnx,"
            + " onnx/text_model.onnx",
        "present: config.json, textual/bpe_simple_vocab_16e6.txt.gz; missing: visual/model.onnx,"
            + " textual/model.onnx");
    assertTrue(!e.getMessage().contains("whole CLIP"), e.getMessage());
  }

  @Test
  void naming_the_folder_above_a_model_suggests_the_model_inside() throws IOException {
    Path parent = tmp.resolve("models");
    Files.createDirectories(parent);
    OnnxClipModelTest.copyTree(TestModels.tiny(Layout.OPEN_CLIP), parent.resolve("my-clip"));
    assertMentions(
        failure(parent),
        "no model found in " + parent,
        "did you mean " + parent.resolve("my-clip"));
  }

  @Test
  void a_hugging_face_export_without_its_tokenizer_names_the_missing_file() throws IOException {
    Path dir = copyOf(Layout.HF);
    Files.delete(dir.resolve("tokenizer.json"));
    assertMentions(failure(dir), "lacks tokenizer.json", "files found:", "onnx/text_model.onnx");
  }

  @Test
  void a_missing_variant_is_named() throws IOException {
    Path dir = copyOf(Layout.HF);
    Files.delete(dir.resolve("onnx/text_model_fp16.onnx"));
    assertMentions(
        failure(dir, CPU.withVariant(Variant.FP16)), "onnx/text_model_fp16.onnx (fp16 variant)");
  }

  @Test
  void an_open_clip_export_without_a_tokenizer_says_which_files_it_looked_for() throws IOException {
    Path dir = copyOf(Layout.OPEN_CLIP);
    Files.delete(dir.resolve("textual/bpe_simple_vocab_16e6.txt.gz"));
    assertMentions(failure(dir), "has no tokenizer", "textual/tokenizer.json");
  }

  @Test
  void a_corrupt_onnx_file_is_named() throws IOException {
    Path dir = copyOf(Layout.OPEN_CLIP);
    Files.writeString(dir.resolve("visual/model.onnx"), "not a protobuf");
    assertMentions(
        failure(dir), dir.resolve("visual/model.onnx").toString(), "ONNX Runtime cannot load it");
  }

  @Test
  void a_text_tower_without_an_embedding_output_lists_the_outputs_it_has() throws IOException {
    // BERT-like tower: its only output is last_hidden_state [batch, tokens, 32]; without mean
    // pooling nothing is a [batch, dim] embedding.
    Path dir = copyOf(Layout.MANIFEST);
    editManifest(
        dir,
        s ->
            s.replace("\"pooling\": \"mean\"", "\"pooling\": \"none\"")
                .replace("\"output\": \"last_hidden_state\",", ""));
    assertMentions(
        failure(dir),
        "text/model.onnx: no usable embedding output",
        "outputs found: last_hidden_state float[-1,-1,32]");
  }

  @Test
  void a_configured_output_of_the_wrong_rank_is_refused() throws IOException {
    Path dir = copyOf(Layout.MANIFEST);
    editManifest(
        dir,
        s ->
            s.replace(
                "\"onnx\": \"image/model.onnx\",",
                "\"onnx\": \"image/model.onnx\", \"output\": \"missing\","));
    assertMentions(failure(dir), "has no output named 'missing'; found: image_embeds float[-1,64]");
  }

  @Test
  void a_projection_file_of_the_wrong_size_is_refused() throws IOException {
    Path dir = copyOf(Layout.MANIFEST);
    Files.write(dir.resolve("text/projection.f32"), new byte[12]);
    assertMentions(
        failure(dir),
        "text/projection.f32: a 32 x 64 float32 projection needs 8192 bytes, the file has 12");
  }

  @Test
  void manifest_mistakes_name_the_field() throws IOException {
    Path dir = copyOf(Layout.MANIFEST);
    editManifest(dir, s -> s.replace("clipsearch-model/1", "clipsearch-model/9"));
    assertMentions(failure(dir), "clipsearch-model.json: unsupported format 'clipsearch-model/9'");

    editManifest(
        dir,
        s ->
            s.replace("clipsearch-model/9", "clipsearch-model/1")
                .replace("\"contextLength\": 128,", ""));
    assertMentions(failure(dir), "required field 'text.contextLength' is missing");

    editManifest(
        dir,
        s -> s.replace("\"pooling\": \"mean\"", "\"pooling\": \"max\", \"contextLength\": 128"));
    assertMentions(failure(dir), "text.pooling must be 'none' or 'mean', got 'max'");

    editManifest(
        dir,
        s ->
            s.replace("\"max\"", "\"mean\"")
                .replace("\"text/model.onnx\"", "\"../../etc/model.onnx\""));
    assertMentions(failure(dir), "text.onnx must be a path inside the model directory");

    editManifest(
        dir, s -> s.replace("\"../../etc/model.onnx\"", "\"classpath:nowhere/model.onnx\""));
    assertMentions(
        failure(dir), "names classpath:nowhere/model.onnx, which is not on the classpath");

    Files.writeString(dir.resolve("clipsearch-model.json"), "{ not json");
    assertMentions(failure(dir), "clipsearch-model.json: invalid JSON");
  }

  @Test
  void unsupported_preprocessing_is_refused_rather_than_approximated() throws IOException {
    Path dir = copyOf(Layout.OPEN_CLIP);
    Path cfg = dir.resolve("visual/preprocess_cfg.json");
    Files.writeString(cfg, Files.readString(cfg).replace("\"shortest\"", "\"squash\""));
    assertMentions(failure(dir), "preprocess_cfg.json: only resize_mode 'shortest'", "'squash'");
  }
}
