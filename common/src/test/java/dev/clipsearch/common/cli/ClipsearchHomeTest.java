package dev.clipsearch.common.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The order CLIPSEARCH_HOME, XDG_CACHE_HOME, ~/.cache and what counts as unset. */
class ClipsearchHomeTest {

  private final Path userHome = Path.of("/home/someone");

  @Test
  void without_variables_the_home_is_the_users_cache_folder() {
    assertEquals(
        Path.of("/home/someone/.cache/clipsearch"), ClipsearchHome.resolve(Map.of(), userHome));
  }

  @Test
  void clipsearch_home_wins_over_xdg_cache_home() {
    assertEquals(
        Path.of("/data/cs"),
        ClipsearchHome.resolve(
            Map.of("CLIPSEARCH_HOME", "/data/cs", "XDG_CACHE_HOME", "/xdg"), userHome));
    assertEquals(
        Path.of("/xdg/clipsearch"),
        ClipsearchHome.resolve(Map.of("XDG_CACHE_HOME", "/xdg"), userHome));
  }

  @Test
  void blank_variables_count_as_unset_and_values_are_stripped() {
    assertEquals(
        Path.of("/xdg/clipsearch"),
        ClipsearchHome.resolve(
            Map.of("CLIPSEARCH_HOME", "  ", "XDG_CACHE_HOME", " /xdg "), userHome));
    assertEquals(
        Path.of("/home/someone/.cache/clipsearch"),
        ClipsearchHome.resolve(Map.of("XDG_CACHE_HOME", ""), userHome));
  }

  @Test
  void a_relative_home_is_made_absolute_and_normalized() {
    Path home = ClipsearchHome.resolve(Map.of("CLIPSEARCH_HOME", "a/../cs"), userHome);
    assertTrue(home.isAbsolute(), home.toString());
    assertEquals(Path.of("cs").toAbsolutePath(), home);
  }

  @Test
  void an_unusable_path_names_the_variable() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClipsearchHome.resolve(Map.of("CLIPSEARCH_HOME", "bad\0path"), userHome));
    assertTrue(e.getMessage().contains("CLIPSEARCH_HOME"), e.getMessage());
  }
}
