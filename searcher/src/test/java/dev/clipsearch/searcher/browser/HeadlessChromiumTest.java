package dev.clipsearch.searcher.browser;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without Chromium the browser tests fail, naming what to install; they never skip. */
class HeadlessChromiumTest {

  @Test
  void a_missing_browser_fails_naming_the_package_and_the_install_command(@TempDir Path dir) {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> HeadlessChromium.requireInstalled(dir.resolve("chromium"), "chromium"));
    assertTrue(e.getMessage().contains("Debian's chromium"), e.getMessage());
    assertTrue(e.getMessage().contains("scripts/install-deps.sh test"), e.getMessage());
  }
}
