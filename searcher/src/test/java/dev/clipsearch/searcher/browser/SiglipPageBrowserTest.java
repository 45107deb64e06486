package dev.clipsearch.searcher.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The search page over a shop indexed with the tiny random-weight SigLIP twin: "What is this?"
 * shows each label's own sigmoid probability and says that they need not add up to 100%.
 */
@Tag("browser")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SiglipPageBrowserTest {

  @TempDir static Path work;

  ShopServer server;
  HeadlessChromium chromium;
  SearchPage page;

  @BeforeAll
  @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void start() throws Exception {
    Files.createDirectories(Path.of("target"));
    chromium =
        HeadlessChromium.start(
            Files.createDirectory(work.resolve("profile")),
            Path.of("target", "chromedriver-siglip.log"));
    server = ShopServer.start(work.resolve("server"), null, TestModels.tinySiglip());
    page = new SearchPage(chromium, server.baseUrl(), SearchPageBrowserTest.SCREENSHOTS);
  }

  @AfterAll
  void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void what_is_this_shows_independent_sigmoid_probabilities() throws Exception {
    page.open("");
    page.chooseImage(server.picture(server.items().get(0), 0));
    page.find(By.id("whatis-toggle")).click();
    page.find(By.id("labels")).clear();
    page.find(By.id("labels")).sendKeys("a hat, a boot, a mug");
    page.find(By.cssSelector("#whatis button[type=submit]")).click();
    page.waitUntil(() -> page.texts(".whatis-list li").size() == 3, "three label probabilities");

    assertEquals(
        "sigmoid", page.find(By.cssSelector(".whatis-list")).getAttribute("data-score-function"));
    List<String> notes = page.texts(".whatis-note");
    assertEquals(1, notes.size(), notes.toString());
    assertTrue(notes.get(0).contains("need not add up to 100%"), notes.get(0));
    for (String percent : page.texts(".whatis-percent")) {
      double value = Double.parseDouble(percent.replace("%", ""));
      assertTrue(percent.endsWith("%") && value >= 0 && value <= 100, percent);
    }
    page.screenshot("siglip-what-is-this");
  }
}
