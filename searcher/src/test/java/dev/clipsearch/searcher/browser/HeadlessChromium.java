package dev.clipsearch.searcher.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.devtools.CdpVersionFinder;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver by Selenium. Both binaries are
 * given explicitly, so Selenium Manager never runs and nothing is downloaded. The browser gets a
 * fresh profile in a temporary directory and no network besides the test server.
 */
final class HeadlessChromium implements AutoCloseable {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /** A desktop window. */
  static final Dimension DESKTOP = new Dimension(1280, 900);

  /** A phone-sized window (an iPhone 12–15 in CSS pixels). */
  static final Dimension PHONE = new Dimension(390, 844);

  /**
   * Selenium looks for a devtools module matching the browser's version to offer its CDP API; the
   * tests only send raw CDP commands through chromedriver, so the warning that none matches is
   * noise. Held here so the logger and its level are not garbage-collected.
   */
  private static final Logger CDP_VERSION_LOG = Logger.getLogger(CdpVersionFinder.class.getName());

  static {
    CDP_VERSION_LOG.setLevel(Level.SEVERE);
  }

  private final ChromeDriver driver;

  private HeadlessChromium(ChromeDriver driver) {
    this.driver = driver;
  }

  /**
   * Starts the browser.
   *
   * @param profile an empty directory for the browser profile
   * @param driverLog where chromedriver writes its log
   * @throws IllegalStateException naming the missing package when Chromium or its driver is not
   *     installed
   */
  static HeadlessChromium start(Path profile, Path driverLog) {
    requireInstalled(CHROMIUM, "chromium");
    requireInstalled(CHROMEDRIVER, "chromium-driver");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(driverLog.toFile())
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--lang=en-US",
        "--window-size=" + DESKTOP.width + "," + DESKTOP.height,
        "--user-data-dir=" + profile.toAbsolutePath());
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    return new HeadlessChromium(new ChromeDriver(service, options));
  }

  static void requireInstalled(Path binary, String debianPackage) {
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "The browser tests need Debian's "
              + debianPackage
              + " ("
              + binary
              + " is missing): run scripts/install-deps.sh test, or apt-get install -y chromium"
              + " chromium-driver");
    }
  }

  ChromeDriver driver() {
    return driver;
  }

  /** Resizes the window (the viewport follows in headless mode). */
  void resize(Dimension size) {
    driver.manage().window().setSize(size);
  }

  /** Saves the whole page, beyond the viewport, as a PNG. */
  void screenshot(Path file) {
    @SuppressWarnings("unchecked")
    List<Number> size =
        (List<Number>)
            driver.executeScript(
                // The capture lays the page out again without a scrollbar: the full window width.
                "return [window.innerWidth,"
                    + " Math.max(document.documentElement.scrollHeight, window.innerHeight)];");
    Map<String, Object> clip =
        Map.of("x", 0, "y", 0, "width", size.get(0), "height", size.get(1), "scale", 1);
    Map<String, Object> shot =
        driver.executeCdpCommand(
            "Page.captureScreenshot",
            Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the screenshot " + file, e);
    }
  }

  /** Console messages and uncaught errors since the last call. */
  List<LogEntry> consoleSinceLastCall() {
    return driver.manage().logs().get(LogType.BROWSER).getAll();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
