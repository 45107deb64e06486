package dev.clipsearch.models.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.hub.HubConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading CLIPSEARCH_HOME, HF_ENDPOINT and HF_TOKEN. */
class ModelsConfigTest {

  private final Path userHome = Path.of("/home/someone");

  @Test
  void defaults_are_the_user_cache_and_the_public_hub() {
    ModelsConfig config = ModelsConfig.fromEnvironment(Map.of(), userHome);

    assertEquals(Path.of("/home/someone/.cache/clipsearch"), config.home());
    assertEquals(HubConfig.DEFAULT_ENDPOINT, config.endpoint());
    assertEquals(Optional.empty(), config.token());
  }

  @Test
  void the_home_is_the_clipsearch_home() {
    assertEquals(
        Path.of("/xdg/clipsearch"),
        ModelsConfig.fromEnvironment(Map.of("XDG_CACHE_HOME", "/xdg"), userHome).home());
  }

  @Test
  void endpoint_and_token_reach_the_hub_config_and_the_token_is_never_printed() {
    ModelsConfig config =
        ModelsConfig.fromEnvironment(
            Map.of("HF_ENDPOINT", "https://mirror.example/", "HF_TOKEN", " hf_abc "), userHome);

    HubConfig hub = config.hubConfig();
    assertEquals(URI.create("https://mirror.example"), hub.endpoint());
    assertEquals(Optional.of("hf_abc"), hub.token());
    assertFalse(config.toString().contains("hf_abc"), config.toString());
  }

  @Test
  void the_older_token_variable_is_accepted() {
    assertEquals(
        Optional.of("hf_old"),
        ModelsConfig.fromEnvironment(Map.of("HUGGING_FACE_HUB_TOKEN", "hf_old"), userHome).token());
  }

  @Test
  void an_endpoint_without_http_is_rejected_naming_the_variable() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ModelsConfig.fromEnvironment(Map.of("HF_ENDPOINT", "ftp://x"), userHome));

    assertTrue(e.getMessage().startsWith("HF_ENDPOINT='ftp://x'"), e.getMessage());
  }
}
