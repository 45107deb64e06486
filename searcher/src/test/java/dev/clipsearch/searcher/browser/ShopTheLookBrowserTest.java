package dev.clipsearch.searcher.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.searcher.browser.GeneratedShop.Item;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;

/**
 * "Find products in this photo" in headless Chromium against the real server (CLIP regions over the
 * tiny random-weight model, so the boxes themselves mean nothing): a room photo is uploaded, the
 * labels start from the results' categories, the boxes come back as labelled buttons over the
 * photo, a box chosen from the keyboard searches by its crop, and Back shows the photo's boxes
 * again. The screenshot goes to {@code target/screenshots/13-shop-the-look.png}.
 */
@Tag("browser")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ShopTheLookBrowserTest {

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
            Path.of("target", "chromedriver-look.log"));
    server = ShopServer.start(work.resolve("server"));
    page = new SearchPage(chromium, server.baseUrl(), SearchPageBrowserTest.SCREENSHOTS);
    chromium.resize(HeadlessChromium.DESKTOP);
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

  Item item(String id) {
    return server.items().stream()
        .filter(i -> i.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no generated product " + id));
  }

  /** A 640 x 420 "room": two product pictures pasted on a plain wall. */
  Path room() throws IOException {
    BufferedImage scene = new BufferedImage(640, 420, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = scene.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setColor(new Color(236, 230, 220));
    g.fillRect(0, 0, 640, 420);
    g.drawImage(
        ImageIO.read(server.picture(item("p-green-boot"), 0).toFile()), 50, 120, 210, 210, null);
    g.drawImage(
        ImageIO.read(server.picture(item("p-black-mug"), 0).toFile()), 380, 170, 170, 170, null);
    g.dispose();
    Path file = work.resolve("room.png");
    ImageIO.write(scene, "png", file.toFile());
    return file;
  }

  @Test
  void boxes_over_the_photo_are_buttons_that_search_by_their_crop() throws IOException {
    page.open("");
    page.chooseImage(room());
    String photoKey = page.param("img");
    assertNotNull(photoKey, page.href());

    page.find(By.id("look-toggle")).click();
    assertEquals("look-labels", page.activeElementId(), "the labels field takes the focus");
    assertEquals("true", page.find(By.id("look-toggle")).getAttribute("aria-expanded"));
    String suggested = page.value("look-labels");
    assertFalse(suggested.isBlank(), "labels start from the results' categories");

    page.find(By.id("look-labels")).clear();
    page.find(By.id("look-labels")).sendKeys("a boot, a mug");
    page.find(By.cssSelector("#look button[type=submit]")).click();
    page.waitUntil(() -> page.visible("look-stage"), "the boxes to be drawn");
    page.waitUntil(() -> page.imageLoaded("look-photo"), "the photo under the boxes");
    List<WebElement> boxes =
        page.find(By.id("look-stage")).findElements(By.cssSelector("button.look-box"));
    assertFalse(boxes.isEmpty(), page.text("look-status"));
    for (WebElement box : boxes) {
      String name = box.getAttribute("aria-label");
      assertTrue(
          name.startsWith("a boot, ") || name.startsWith("a mug, "),
          "labelled for screen readers: " + name);
      assertTrue(name.endsWith("search for products like this"), name);
      assertTrue(box.getText().startsWith(box.getAttribute("data-label")), box.getText());
    }
    assertEquals("group", page.find(By.id("look-stage")).getAttribute("role"));
    page.screenshot("13-shop-the-look");

    // Keyboard: Tab from the submit button reaches the first box; Enter searches by its crop.
    page.js("document.querySelector('#look button[type=submit]').focus();");
    page.press(Keys.TAB);
    assertEquals(
        boxes.get(0).getAttribute("aria-label"),
        page.js("return document.activeElement.getAttribute('aria-label');"),
        "the first box is the next stop after the button");
    page.navigateBy(() -> page.press(Keys.ENTER));
    String cropKey = page.param("img");
    assertNotEquals(photoKey, cropKey, "the crop is a query image of its own");
    assertEquals("Products like your image", page.text("results-title"));
    assertFalse(page.hits().isEmpty());
    assertFalse(page.visible("look"), "the crop starts without boxes");
    page.screenshot("14-shop-the-look-crop");

    // Back to the photo: its boxes are there again, without asking the server.
    page.back();
    assertEquals(photoKey, page.param("img"));
    page.waitUntil(
        () -> page.visible("look-stage") && !page.texts("#look-stage .look-box").isEmpty(),
        "the photo's boxes to come back");
    assertEquals(boxes.size(), page.texts("#look-stage .look-box").size());

    List<String> errors =
        chromium.consoleSinceLastCall().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .map(LogEntry::getMessage)
            .filter(m -> !m.contains("Failed to load resource"))
            .toList();
    assertEquals(List.of(), errors, "errors in the browser console");
  }
}
