package dev.clipsearch.models.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Name and directory resolution, listing. */
class ModelCacheTest {

  @TempDir Path tmp;

  private ModelCache cache() {
    return new ModelCache(tmp.resolve("home"));
  }

  private Path install(ModelCache cache, String name, String... files) throws IOException {
    Path dir = cache.modelsDir().resolve(name);
    for (String file : files) {
      Path path = dir.resolve(file);
      Files.createDirectories(path.getParent());
      Files.writeString(path, file + " content");
    }
    return dir;
  }

  @Test
  void an_existing_directory_is_used_as_it_is() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("some").resolve("model"));

    assertEquals(dir, cache().resolve(dir.toString()));
  }

  @Test
  void a_known_model_name_or_alias_resolves_to_its_cache_directory() throws IOException {
    ModelCache cache = cache();
    Path dir = install(cache, "clip-vit-base-patch32", "onnx/vision_model.onnx");

    assertEquals(dir, cache.resolve("clip-vit-base-patch32"));
    assertEquals(dir, cache.resolve("openai/clip-vit-base-patch32"));
    assertEquals(Optional.of(dir), cache.find("OpenAI/CLIP-ViT-Base-Patch32"));
  }

  @Test
  void a_known_model_that_is_not_downloaded_says_how_to_fetch_it() {
    ModelCache cache = cache();

    ModelNotFoundException e =
        assertThrows(
            ModelNotFoundException.class, () -> cache.resolve("openai/clip-vit-base-patch32"));

    assertTrue(
        e.getMessage().contains("clipsearch models fetch clip-vit-base-patch32"), e.getMessage());
    assertTrue(e.getMessage().contains(cache.modelsDir().toString()), e.getMessage());
    assertEquals("openai/clip-vit-base-patch32", e.requested());
  }

  @Test
  void a_missing_variant_names_the_variant_option() {
    ModelNotFoundException e =
        assertThrows(
            ModelNotFoundException.class, () -> cache().resolve("clip-vit-base-patch32-int8"));

    assertTrue(
        e.getMessage().contains("clipsearch models fetch clip-vit-base-patch32 --variant int8"),
        e.getMessage());
  }

  @Test
  void an_unknown_name_lists_the_known_and_downloaded_models() throws IOException {
    ModelCache cache = cache();
    install(cache, "my-own-model", "model.onnx");

    ModelNotFoundException e =
        assertThrows(ModelNotFoundException.class, () -> cache.resolve("no-such-model"));

    assertTrue(
        e.getMessage().contains("neither a model directory nor a known model"), e.getMessage());
    assertTrue(e.getMessage().contains("clip-vit-base-patch32"), e.getMessage());
    assertTrue(e.getMessage().contains("downloaded: my-own-model"), e.getMessage());
  }

  @Test
  void a_file_is_not_a_model_directory() throws IOException {
    Path file = Files.writeString(tmp.resolve("model.onnx"), "x");

    ModelNotFoundException e =
        assertThrows(ModelNotFoundException.class, () -> cache().resolve(file.toString()));

    assertTrue(e.getMessage().contains("is a file"), e.getMessage());
  }

  @Test
  void names_that_escape_the_cache_are_not_found() throws IOException {
    ModelCache cache = cache();
    Files.createDirectories(cache.root().resolve("outside"));

    assertEquals(Optional.empty(), cache.find("../outside"));
    assertEquals(Optional.empty(), cache.find("/etc"));
  }

  @Test
  void list_reports_size_files_and_receipt_of_each_model() throws IOException {
    ModelCache cache = cache();
    Path dir = install(cache, "b-model", "onnx/vision_model.onnx", "config.json");
    new InstallReceipt(
            "b-model",
            "int8",
            "org/repo",
            "main",
            null,
            "https://huggingface.co",
            "2026-01-01T00:00:00Z",
            List.of(new InstallReceipt.FileEntry("config.json", 19, "ab", "pinned-sha256")))
        .write(dir);
    install(cache, "a-model", "model.onnx");

    List<CachedModel> models = cache.list();

    assertEquals(List.of("a-model", "b-model"), models.stream().map(CachedModel::name).toList());
    CachedModel b = models.get(1);
    assertEquals(List.of("config.json", "onnx/vision_model.onnx"), b.files());
    long expected =
        Files.size(dir.resolve("config.json"))
            + Files.size(dir.resolve("onnx/vision_model.onnx"))
            + Files.size(dir.resolve(InstallReceipt.FILE_NAME));
    assertEquals(expected, b.sizeOnDisk());
    assertEquals("int8", b.receipt().orElseThrow().variant());
    assertEquals(Optional.empty(), models.get(0).receipt());
  }

  @Test
  void a_copied_in_directory_is_found_by_its_own_name_and_hidden_ones_are_not_listed()
      throws IOException {
    ModelCache cache = cache();
    Path mine = install(cache, "My-Model_v2", "model.onnx");
    install(cache, ".trash", "old.onnx");

    assertEquals(mine, cache.resolve("My-Model_v2"));
    assertEquals(List.of("My-Model_v2"), cache.list().stream().map(CachedModel::name).toList());
  }

  @Test
  void an_empty_cache_lists_nothing() throws IOException {
    assertEquals(List.of(), cache().list());
  }
}
