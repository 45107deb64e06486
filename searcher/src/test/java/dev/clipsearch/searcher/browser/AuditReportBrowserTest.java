package dev.clipsearch.searcher.browser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.indexer.index.search.LuceneSearchStore;
import dev.clipsearch.models.testing.FakeClipModel;
import dev.clipsearch.searcher.audit.AuditFiles;
import dev.clipsearch.searcher.audit.AuditHtml;
import dev.clipsearch.searcher.audit.AuditReport;
import dev.clipsearch.searcher.audit.AuditSettings;
import dev.clipsearch.searcher.audit.AuditTestCatalog;
import dev.clipsearch.searcher.audit.CatalogAudit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;

/**
 * {@code audit.html} opened from disk ({@code file:} URL, no server) in headless Chromium: the
 * three sections are there, every thumbnail decodes from its inline {@code data:} URI, nothing else
 * is fetched, and the page is saved as {@code target/screenshots/audit-report.png}.
 */
@Tag("browser")
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AuditReportBrowserTest {

  static final Path SCREENSHOT = SearchPageBrowserTest.SCREENSHOTS.resolve("audit-report.png");

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @TempDir Path work;

  @Test
  void the_report_renders_from_disk_with_its_three_sections_and_inline_thumbnails()
      throws Exception {
    FakeClipModel model = new FakeClipModel();
    Path index = work.resolve("index");
    AuditTestCatalog.write(index, model);
    AuditReport report;
    try (LuceneSearchStore store =
        LuceneSearchStore.open(index, model.spec(), false, Duration.ofHours(1))) {
      report = new CatalogAudit(model, AuditSettings.defaults()).run(store, n -> {});
    }
    Path out = work.resolve("audit");
    AuditFiles.write(report, out);

    Files.createDirectories(Path.of("target"));
    try (HeadlessChromium chromium =
        HeadlessChromium.start(
            Files.createDirectory(work.resolve("profile")),
            Path.of("target", "chromedriver-audit.log"))) {
      chromium.resize(HeadlessChromium.DESKTOP);
      chromium.driver().get(out.resolve(AuditFiles.HTML_FILE).toUri().toString());
      for (String id :
          List.of(AuditHtml.MISMATCHES_ID, AuditHtml.DUPLICATES_ID, AuditHtml.PLACEHOLDERS_ID)) {
        WebElement section = chromium.driver().findElement(By.id(id));
        assertTrue(section.isDisplayed(), id);
        assertTrue(section.findElement(By.tagName("h2")).getText().endsWith("(1)"), id);
      }
      List<WebElement> images = chromium.driver().findElements(By.cssSelector("img.thumb"));
      assertEquals(1 + AuditTestCatalog.COPIES.size() + 1, images.size());
      for (WebElement image : images) {
        Object width = chromium.driver().executeScript("return arguments[0].naturalWidth;", image);
        assertTrue(((Number) width).intValue() > 0, "a thumbnail did not decode");
      }
      Object resources =
          chromium
              .driver()
              .executeScript(
                  "return performance.getEntriesByType('resource')"
                      + ".filter(e => !e.name.startsWith('data:')).map(e => e.name);");
      assertEquals(List.of(), resources, "the page loads nothing");
      List<LogEntry> console = chromium.consoleSinceLastCall();
      assertEquals(List.of(), console, "console errors");
      chromium.screenshot(SCREENSHOT);
    }
    byte[] png = Files.readAllBytes(SCREENSHOT);
    assertTrue(png.length > 1000, "screenshot of " + png.length + " bytes");
    assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, PNG_SIGNATURE.length));
  }
}
