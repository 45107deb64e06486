package dev.clipsearch.searcher.browser;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The search page as the tests see it: actions a shopper takes, and what is on screen, read from
 * the DOM. Every action that navigates waits until the page URL has changed and the new state is
 * rendered ({@code body[data-rendered]} equals the URL's query and nothing is loading), so tests
 * never sleep.
 */
final class SearchPage {

  /** Longest wait for the page to settle; a bound on waiting, not an assertion on speed. */
  static final Duration WAIT = Duration.ofSeconds(30);

  private final HeadlessChromium browser;
  private final ChromeDriver driver;
  private final String baseUrl;
  private final Path screenshots;

  /**
   * One result card.
   *
   * @param id product id
   * @param title the title shown
   * @param brand the brand shown
   * @param price the price as shown
   * @param score the score as shown
   * @param alt the picture's alternative text
   */
  record Hit(String id, String title, String brand, String price, String score, String alt) {}

  /**
   * One facet value.
   *
   * @param count the count shown
   * @param checked whether its checkbox is checked (brands)
   */
  record Facet(int count, boolean checked) {}

  SearchPage(HeadlessChromium browser, String baseUrl, Path screenshots) {
    this.browser = browser;
    this.driver = browser.driver();
    this.baseUrl = baseUrl;
    this.screenshots = screenshots;
  }

  // ----------------------------------------------------------------------------------------------
  // Navigation

  /** Loads {@code /} plus {@code search} (e.g. {@code ?q=red}) and waits until it is rendered. */
  void open(String search) {
    driver.get(baseUrl + "/" + search);
    awaitRendered();
  }

  /** Does {@code action}, then waits for another URL and for its state to be rendered. */
  void navigateBy(Runnable action) {
    String before = href();
    action.run();
    waitUntil(() -> !href().equals(before), "the URL to change from " + before);
    awaitRendered();
  }

  void back() {
    navigateBy(() -> driver.navigate().back());
  }

  void forward() {
    navigateBy(() -> driver.navigate().forward());
  }

  void reload() {
    driver.navigate().refresh();
    awaitRendered();
  }

  /** Waits until the state in the URL is on screen and no request is in flight. */
  void awaitRendered() {
    waitUntil(
        () ->
            Boolean.TRUE.equals(
                js(
                    "const b = document.body; return b.dataset.rendered !== undefined"
                        + " && b.dataset.rendered === location.search"
                        + " && !b.classList.contains('is-loading');")),
        "the page to render " + href());
  }

  void waitUntil(BooleanSupplier condition, String what) {
    new WebDriverWait(driver, WAIT)
        .withMessage(() -> "waited for " + what + "; page: " + diagnostics())
        .until(d -> condition.getAsBoolean());
  }

  String diagnostics() {
    return String.valueOf(
        js(
            "return JSON.stringify({url: location.href, rendered: document.body.dataset.rendered,"
                + " loading: document.body.classList.contains('is-loading'),"
                + " title: document.getElementById('results-title').textContent,"
                + " status: document.getElementById('status').textContent,"
                + " error: document.getElementById('error').hidden ? null"
                + " : document.getElementById('error-message').textContent});"));
  }

  String href() {
    return (String) js("return location.href;");
  }

  /** The URL's query, with its {@code ?}. */
  String search() {
    return (String) js("return location.search;");
  }

  /** One parameter of the page URL, or null. */
  String param(String name) {
    return (String) js("return new URLSearchParams(location.search).get(arguments[0]);", name);
  }

  // ----------------------------------------------------------------------------------------------
  // Actions

  /** Types into the search box without submitting and waits for the debounced search. */
  void typeQuery(String text) {
    WebElement box = driver.findElement(By.id("q"));
    box.clear();
    navigateBy(() -> box.sendKeys(text));
    waitUntil(() -> text.equals(param("q")), "q=" + text + " in the URL");
    awaitRendered();
  }

  /** Types into the search box and presses Enter at once. */
  void submitQuery(String text) {
    WebElement box = driver.findElement(By.id("q"));
    box.clear();
    navigateBy(() -> box.sendKeys(text, Keys.ENTER));
    waitUntil(() -> text.equals(param("q")), "q=" + text + " in the URL");
    awaitRendered();
  }

  /** Types into the "…but" box of image or "more like this" results and submits it. */
  void refine(String text) {
    WebElement box = driver.findElement(By.id("refine"));
    box.clear();
    navigateBy(() -> box.sendKeys(text, Keys.ENTER));
    waitUntil(() -> text.equals(param("refine")), "refine=" + text + " in the URL");
    awaitRendered();
  }

  /** Picks a file with the search-by-image file input. */
  void chooseImage(Path file) {
    navigateBy(
        () -> driver.findElement(By.id("image-input")).sendKeys(file.toAbsolutePath().toString()));
  }

  /** Fires dragenter and dragover of a file on the results, as a drag from the desktop would. */
  void dragOver(byte[] bytes, String name, String type) {
    js(
        DATA_TRANSFER
            + "const target = document.getElementById('main');"
            + "for (const kind of ['dragenter', 'dragover']) {"
            + "  target.dispatchEvent(new DragEvent(kind,"
            + "      {bubbles: true, cancelable: true, dataTransfer: dt}));"
            + "}",
        Base64.getEncoder().encodeToString(bytes),
        name,
        type);
  }

  /** Drops a file on the results area, as a drag from the desktop would. */
  void dropFile(byte[] bytes, String name, String type) {
    navigateBy(
        () ->
            js(
                DATA_TRANSFER
                    + "document.getElementById('main').dispatchEvent(new DragEvent('drop',"
                    + "    {bubbles: true, cancelable: true, dataTransfer: dt}));",
                Base64.getEncoder().encodeToString(bytes),
                name,
                type));
  }

  /** Pastes a file into the focused element, as Ctrl+V with an image on the clipboard would. */
  void pasteFile(byte[] bytes, String name, String type) {
    navigateBy(
        () ->
            js(
                DATA_TRANSFER
                    + "(document.activeElement || document.body).dispatchEvent("
                    + "    new ClipboardEvent('paste',"
                    + "        {bubbles: true, cancelable: true, clipboardData: dt}));",
                Base64.getEncoder().encodeToString(bytes),
                name,
                type));
  }

  private static final String DATA_TRANSFER =
      "const bytes = Uint8Array.from(atob(arguments[0]), (c) => c.charCodeAt(0));"
          + "const dt = new DataTransfer();"
          + "dt.items.add(new File([bytes], arguments[1], {type: arguments[2]}));";

  /** Clicks a link or button that navigates, and waits for the new state. */
  void click(By by) {
    WebElement element = driver.findElement(by);
    navigateBy(element::click);
  }

  /** Opens a result of the grid by its card link. */
  void openResult(String id) {
    click(By.cssSelector("#grid a.card-link[data-product='" + id + "']"));
  }

  /** Opens a product of the "more like this" row. */
  void openSimilar(String id) {
    click(By.cssSelector("#similar-list a.card-link[data-product='" + id + "']"));
  }

  /** Follows a result's own "More like this" link. */
  void moreLikeThis(String id) {
    click(By.cssSelector("#grid li[data-id='" + id + "'] a.card-similar"));
  }

  void toggleBrand(String brand) {
    click(By.cssSelector("#brand-list li[data-value='" + brand + "'] input"));
  }

  /** Checks or unchecks one value of a zero-shot attribute facet ({@code attr.<name>}). */
  void toggleAttribute(String name, String value) {
    click(
        By.cssSelector(
            "#attribute-facets fieldset[data-attribute='"
                + name
                + "'] li[data-value='"
                + value
                + "'] input"));
  }

  void openCategory(String path) {
    click(By.cssSelector("#category-list li[data-value='" + path + "'] a"));
  }

  /** Enters a price range and applies it. */
  void applyPrice(String min, String max) {
    WebElement from = driver.findElement(By.id("price-min"));
    WebElement to = driver.findElement(By.id("price-max"));
    from.clear();
    from.sendKeys(min);
    to.clear();
    to.sendKeys(max);
    click(By.id("price-apply"));
  }

  /** Moves the minimum-score slider with the keyboard to {@code value} (steps of 0.01). */
  void setMinScore(double value) {
    WebElement slider = driver.findElement(By.id("min-score"));
    slider.sendKeys(Keys.HOME);
    int steps = (int) Math.round(value * 100);
    CharSequence[] keys = new CharSequence[steps];
    Arrays.fill(keys, Keys.ARROW_RIGHT);
    navigateBy(() -> slider.sendKeys(keys));
    waitUntil(
        () -> String.valueOf(value).equals(param("min_score")), "min_score=" + value + " in URL");
    awaitRendered();
  }

  // ----------------------------------------------------------------------------------------------
  // What is on screen

  /** The result cards of the grid, in order. */
  List<Hit> hits() {
    return cards("#grid");
  }

  /** The cards of a product's "more like this" row. */
  List<Hit> similarRow() {
    return cards("#similar-list");
  }

  @SuppressWarnings("unchecked")
  private List<Hit> cards(String list) {
    List<Map<String, String>> rows =
        (List<Map<String, String>>)
            js(
                "return Array.from(document.querySelectorAll(arguments[0] + ' > li.card'))"
                    + ".map((li) => { const t = (s) => { const e = li.querySelector(s);"
                    + " return e ? e.textContent.trim() : ''; };"
                    + " return {id: li.dataset.id, title: t('.card-title'), brand: t('.card-brand'),"
                    + " price: t('.card-price'), score: t('.card-score').replace('Score', '').trim(),"
                    + " alt: li.querySelector('img').getAttribute('alt') || ''}; });",
                list);
    List<Hit> hits = new ArrayList<>();
    for (Map<String, String> r : rows) {
      hits.add(
          new Hit(
              r.get("id"),
              r.get("title"),
              r.get("brand"),
              r.get("price"),
              r.get("score"),
              r.get("alt")));
    }
    return hits;
  }

  List<String> hitIds() {
    return hits().stream().map(Hit::id).toList();
  }

  /** The brand facet: brand to its count and checkbox. */
  Map<String, Facet> brands() {
    return facets("#brand-list");
  }

  /** A zero-shot attribute facet ({@code attr.<name>}): value to its count and checkbox. */
  Map<String, Facet> attributeFacet(String name) {
    return facets("#attribute-facets fieldset[data-attribute='" + name + "'] > ul");
  }

  /** The category facet's entries below the current category: path to count. */
  Map<String, Facet> categories() {
    return facets("#category-list");
  }

  @SuppressWarnings("unchecked")
  private Map<String, Facet> facets(String list) {
    List<List<Object>> rows =
        (List<List<Object>>)
            js(
                "return Array.from(document.querySelectorAll(arguments[0] + ' > li[data-value]'))"
                    + ".map((li) => [li.dataset.value, li.querySelector('.count').textContent,"
                    + " Boolean(li.querySelector('input') && li.querySelector('input').checked)]);",
                list);
    Map<String, Facet> out = new LinkedHashMap<>();
    for (List<Object> r : rows) {
      out.put(
          (String) r.get(0),
          new Facet(Integer.parseInt(((String) r.get(1)).trim()), (Boolean) r.get(2)));
    }
    return out;
  }

  /** The breadcrumb's levels, "All categories" first. */
  List<String> breadcrumb() {
    return texts("#breadcrumb li");
  }

  /** The text of every element matching a CSS selector, in document order. */
  @SuppressWarnings("unchecked")
  List<String> texts(String selector) {
    return (List<String>)
        js(
            "return Array.from(document.querySelectorAll(arguments[0]))"
                + ".map((e) => e.textContent.trim());",
            selector);
  }

  String text(String id) {
    return (String) js("return document.getElementById(arguments[0]).textContent.trim();", id);
  }

  String value(String id) {
    return (String) js("return document.getElementById(arguments[0]).value;", id);
  }

  boolean visible(String id) {
    return Boolean.TRUE.equals(
        js(
            "const e = document.getElementById(arguments[0]);"
                + " return Boolean(e && e.getClientRects().length);",
            id));
  }

  boolean checked(String id) {
    return Boolean.TRUE.equals(js("return document.getElementById(arguments[0]).checked;", id));
  }

  /** The error message shown, or null when no error is shown. */
  String error() {
    return visible("error") ? text("error-message") : null;
  }

  /** Whether an image has loaded (a non-zero natural width). */
  boolean imageLoaded(String id) {
    return Boolean.TRUE.equals(
        js(
            "const i = document.getElementById(arguments[0]);"
                + " return i.complete && i.naturalWidth > 0;",
            id));
  }

  String activeElementId() {
    return (String) js("return document.activeElement ? document.activeElement.id : null;");
  }

  /** Sends keys to whatever has the focus. */
  void press(CharSequence... keys) {
    new Actions(driver).sendKeys(keys).perform();
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  WebElement find(By by) {
    return driver.findElement(by);
  }

  /** Saves the whole page as {@code target/screenshots/<name>.png}. */
  void screenshot(String name) {
    browser.screenshot(screenshots.resolve(name + ".png"));
  }
}
