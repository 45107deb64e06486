package dev.clipsearch.models.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  void a_model_pinned_to_a_commit_pins_every_file_and_one_on_a_branch_pins_none() {
    for (KnownModel model : registry.models()) {
      if (model.revisionIsPinned()) {
        for (ModelVariant variant : model.variants()) {
          for (RemoteFile file : model.files(variant)) {
            assertTrue(file.size().isPresent(), model.name() + " " + file.path());
            assertTrue(file.sha256().isPresent(), model.name() + " " + file.path());
          }
        }
        assertTrue(model.filesArePinned(), model.name());
      } else {
        assertTrue(
            !model.filesArePinned(), model.name() + " follows a branch, so sizes can change");
      }
    }
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

  @Test
  void every_variant_has_the_layout_the_runtime_loads() {
    for (KnownModel model : registry.models()) {
      assertHuggingFaceLayout(model);
    }
  }

  private static void assertHuggingFaceLayout(KnownModel model) {
    for (ModelVariant variant : model.variants()) {
      List<String> paths = model.files(variant).stream().map(RemoteFile::path).toList();
      assertTrue(paths.contains("tokenizer.json"), paths.toString());
      assertTrue(paths.contains("preprocessor_config.json"), paths.toString());
      assertTrue(paths.contains("config.json"), paths.toString());
      long towers =
          paths.stream()
              .filter(p -> p.startsWith("onnx/vision_model") || p.startsWith("onnx/text_model"))
              .count();
      long detectorGraphs = paths.stream().filter(p -> p.startsWith("onnx/model")).count();
      // A CLIP has its two towers; a detector (OWL-ViT) one graph, onnx/model*.onnx.
      assertTrue(
          (towers == 2 && detectorGraphs == 0) || (towers == 0 && detectorGraphs == 1),
          model.name() + " " + variant + ": " + paths);
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
