package dev.clipsearch.models.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.onnx.ModelLayout;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The built-in registry's data and the lookup rules. */
class ModelRegistryTest {

  private final ModelRegistry registry = ModelRegistry.builtIn();

  @Test
  void the_default_is_clip_vit_b32_fp32_pinned_to_a_commit() {
    KnownModel model = registry.defaultModel();

    assertEquals("clip-vit-base-patch32", model.name());
    assertEquals("Xenova/clip-vit-base-patch32", model.repository());
    assertTrue(model.revisionIsPinned(), model.revision());
    assertEquals(ModelVariant.FP32, model.defaultVariant());
    assertEquals(
        List.of(ModelVariant.FP32, ModelVariant.INT8, ModelVariant.Q8),
        List.copyOf(model.variants()));
  }

  @Test
  void a_model_on_a_branch_pins_no_file_and_one_on_a_commit_pins_whole_files_or_says_it_does_not() {
    for (KnownModel model : registry.models()) {
      for (ModelVariant variant : model.variants()) {
        for (RemoteFile file : model.files(variant)) {
          assertEquals(
              file.size().isPresent(), file.sha256().isPresent(), model.name() + " " + file.path());
          boolean onCommit =
              file.origin()
                  .map(RemoteFile.Origin::revisionIsPinned)
                  .orElse(model.revisionIsPinned());
          if (!onCommit) {
            assertTrue(file.size().isEmpty(), model.name() + " follows a branch: " + file.path());
          }
        }
      }
      if (!model.revisionIsPinned()) {
        assertTrue(!model.filesArePinned(), model.name() + " follows a branch");
      }
    }
    assertTrue(ModelRegistry.CLIP_VIT_BASE_PATCH32.filesArePinned());
    assertTrue(!ModelRegistry.CLIP_VIT_B32_MULTILINGUAL.filesArePinned());
    assertTrue(ModelRegistry.CLIP_VIT_B32_MULTILINGUAL.revisionIsPinned());
  }

  @Test
  void every_built_in_model_records_its_dimension_languages_and_uses() {
    assertTrue(registry.models().size() >= 3, registry.names().toString());
    for (KnownModel model : registry.models()) {
      assertTrue(model.facts().dimension() > 0, model.name());
      assertTrue(!model.facts().languages().isEmpty(), model.name());
      assertTrue(!model.facts().goodFor().isBlank(), model.name());
    }
    assertEquals(768, registry.find("vit-l-14").orElseThrow().facts().dimension());
  }

  /** A detector (OWL-ViT): one graph, onnx/model*.onnx, with CLIP's tokenizer and configs. */
  private static void assertDetectorLayout(KnownModel model) {
    for (ModelVariant variant : model.variants()) {
      List<String> paths = model.files(variant).stream().map(RemoteFile::path).toList();
      assertTrue(paths.contains("tokenizer.json"), paths.toString());
      assertTrue(paths.contains("preprocessor_config.json"), paths.toString());
      assertTrue(paths.contains("config.json"), paths.toString());
      assertEquals(
          1,
          paths.stream().filter(p -> p.matches("onnx/model[a-z0-9_]*\\.onnx")).count(),
          model.name() + " " + variant + ": " + paths);
    }
  }

  @Test
  void every_variant_has_the_layout_the_runtime_loads() {
    for (KnownModel model : registry.models()) {
      assertLayoutTheRuntimeLoads(model);
    }
  }

  /**
   * The fp32 files meet every requirement of one of the layouts the runtime reads; the other
   * variants hold an image and a text tower of their own.
   */
  private static void assertLayoutTheRuntimeLoads(KnownModel model) {
    List<String> fp32 = model.files(ModelVariant.FP32).stream().map(RemoteFile::path).toList();
    if (fp32.stream().noneMatch(p -> p.contains("vision_model"))) {
      assertDetectorLayout(model);
      return;
    }
    boolean loadable = false;
    for (ModelLayout layout : ModelLayout.values()) {
      loadable |=
          layout != ModelLayout.MANIFEST
              && layout.requiredFiles().stream()
                  .allMatch(any -> any.stream().anyMatch(fp32::contains));
    }
    assertTrue(loadable, model.name() + ": " + fp32);
    assertTrue(
        fp32.contains("preprocessor_config.json")
            || fp32.contains("image/preprocessor_config.json"),
        fp32.toString());
    for (ModelVariant variant : model.variants()) {
      List<String> paths = model.files(variant).stream().map(RemoteFile::path).toList();
      assertEquals(
          2,
          paths.stream()
              .filter(
                  p -> p.matches("(image/)?onnx/(vision_model|text_model|model)[a-z0-9_]*\\.onnx"))
              .count(),
          paths.toString());
    }
  }

  @Test
  void names_aliases_and_install_names_are_found_ignoring_case() {
    KnownModel model = registry.defaultModel();

    assertEquals(Optional.of(model), registry.find("OpenAI/clip-vit-base-patch32"));
    assertEquals(
        Optional.of(new ModelRef(model, ModelVariant.INT8)),
        registry.lookup("clip-vit-base-patch32-int8"));
    assertEquals(Optional.of(new ModelRef(model, ModelVariant.FP32)), registry.lookup("vit-b-32"));
    assertEquals(Optional.empty(), registry.lookup("clip-vit-base-patch32-fp16"));
  }

  @Test
  void the_branch_following_models_offer_fp16_towers_for_gpus() {
    for (KnownModel model :
        List.of(ModelRegistry.CLIP_VIT_BASE_PATCH16, ModelRegistry.CLIP_VIT_LARGE_PATCH14)) {
      assertEquals(
          List.of("onnx/vision_model_fp16.onnx", "onnx/text_model_fp16.onnx"),
          model.files(ModelVariant.FP16).stream()
              .map(RemoteFile::path)
              .filter(p -> p.startsWith("onnx/"))
              .toList(),
          model.name());
      assertEquals(
          Optional.of(new ModelRef(model, ModelVariant.FP16)),
          registry.lookup(model.name() + "-fp16"));
    }
  }

  @Test
  void siglip_base_is_known_by_its_names_with_the_transformers_js_files() {
    KnownModel siglip = ModelRegistry.SIGLIP_BASE_PATCH16_224;
    assertEquals(Optional.of(siglip), registry.find("google/siglip-base-patch16-224"));
    assertEquals(Optional.of(siglip), registry.find("siglip-base-patch16-224"));
    assertEquals(768, siglip.facts().dimension());
    assertEquals(List.of("en"), siglip.facts().languages());
    assertFalse(siglip.filesArePinned());
    assertEquals(
        List.of(
            "config.json",
            "preprocessor_config.json",
            "tokenizer.json",
            "onnx/vision_model.onnx",
            "onnx/text_model.onnx"),
        siglip.files(ModelVariant.FP32).stream().map(RemoteFile::path).toList());
  }

  @Test
  void owlvit_b32_offers_the_transformers_js_graph_and_its_quantized_variant() {
    KnownModel owlvit = registry.find("google/owlvit-base-patch32").orElseThrow();

    assertEquals(ModelRegistry.OWLVIT_BASE_PATCH32, owlvit);
    assertEquals("Xenova/owlvit-base-patch32", owlvit.repository());
    assertEquals(List.of(ModelVariant.FP32, ModelVariant.Q8), List.copyOf(owlvit.variants()));
    assertTrue(
        owlvit.files(ModelVariant.FP32).stream().anyMatch(f -> f.path().equals("onnx/model.onnx")));
    assertTrue(
        owlvit.files(ModelVariant.Q8).stream()
            .anyMatch(f -> f.path().equals("onnx/model_quantized.onnx")));
    assertEquals(
        "owlvit-base-patch32-q8",
        registry.lookup("owlvit-base-patch32-q8").orElseThrow().installName());
    assertEquals(
        ModelRegistry.CLIP_VIT_BASE_PATCH32, registry.defaultModel(), "still the default model");
  }

  @Test
  void install_names_keep_the_default_variant_plain() {
    KnownModel model = registry.defaultModel();

    assertEquals("clip-vit-base-patch32", model.installName(ModelVariant.FP32));
    assertEquals("clip-vit-base-patch32-q8", model.installName(ModelVariant.Q8));
  }

  @Test
  void a_name_used_twice_is_rejected() {
    KnownModel a = registry.defaultModel();
    KnownModel b =
        new KnownModel(
            "other",
            List.of("vit-b-32"),
            "x",
            "org/other",
            "main",
            List.of(),
            Map.of(ModelVariant.FP32, List.of()),
            ModelVariant.FP32);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ModelRegistry(List.of(a, b)));
    assertTrue(e.getMessage().contains("vit-b-32"), e.getMessage());
  }

  @Test
  void file_paths_that_could_escape_the_model_directory_are_rejected() {
    for (String bad : List.of("../x", "/etc/passwd", "a//b", "onnx/", "a/./b")) {
      assertThrows(IllegalArgumentException.class, () -> RemoteFile.unpinned(bad), bad);
    }
  }

  @Test
  void a_variant_the_model_does_not_offer_is_refused_with_the_offered_ones() {
    KnownModel small =
        new KnownModel(
            "small",
            List.of(),
            "x",
            "org/small",
            "main",
            List.of(),
            Map.of(ModelVariant.FP32, List.of()),
            ModelVariant.FP32);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ModelRef(small, ModelVariant.INT8));
    assertTrue(e.getMessage().contains("[fp32]"), e.getMessage());
  }

  @Test
  void variants_parse_case_insensitively_with_quantized_as_q8() {
    assertEquals(ModelVariant.INT8, ModelVariant.parse("INT8"));
    assertEquals(ModelVariant.Q8, ModelVariant.parse("quantized"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelVariant.parse("fp64"));
    assertTrue(e.getMessage().contains("fp32, int8, q8"), e.getMessage());
  }

  @Test
  void hub_config_never_prints_the_token_and_trims_the_endpoint() {
    HubConfig config =
        HubConfig.defaults()
            .withEndpoint(java.net.URI.create("https://mirror.example/hf/"))
            .withToken(Optional.of("hf_secret"));

    assertEquals("https://mirror.example/hf", config.endpoint().toString());
    assertTrue(config.toString().contains("(set)"), config.toString());
    assertTrue(!config.toString().contains("hf_secret"), config.toString());
    assertThrows(
        IllegalArgumentException.class,
        () -> HubConfig.defaults().withEndpoint(java.net.URI.create("ftp://x")));
  }

  @Test
  void etags_are_compared_without_quotes_weak_prefix_or_case() {
    assertEquals("abc123", HubMetadata.bareEtag("W/\"ABC123\""));
    assertEquals("abc123", HubMetadata.bareEtag("\"abc123\""));
  }
}
