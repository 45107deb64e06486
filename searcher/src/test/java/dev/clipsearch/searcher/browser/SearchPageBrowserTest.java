package dev.clipsearch.searcher.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.searcher.browser.GeneratedShop.Item;
import dev.clipsearch.searcher.browser.SearchPage.Facet;
import dev.clipsearch.searcher.browser.SearchPage.Hit;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.logging.LogEntry;

/**
 * The search page in headless Chromium against the real server: a generated shop of 36 products
 * indexed with the tiny random-weight model. Random weights make text rankings meaningless, so
 * assertions rest on what holds anyway: BM25 title matches in the hybrid ranking, an uploaded
 * catalog picture finding its own product with similarity 1, filters, counts, and the URL.
 * Screenshots of the main states go to {@code target/screenshots/}.
 */
@Tag("browser")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SearchPageBrowserTest {

  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @TempDir static Path work;

  ShopServer server;
  HeadlessChromium chromium;
  SearchPage page;
  Map<String, Item> byId;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void start() throws Exception {
    // The browser first: without Chromium the tests fail at once, saying what to install.
    Files.createDirectories(Path.of("target"));
    chromium =
        HeadlessChromium.start(
            Files.createDirectory(work.resolve("profile")), Path.of("target", "chromedriver.log"));
    server = ShopServer.start(work.resolve("server"));
    byId = server.items().stream().collect(Collectors.toMap(Item::id, Function.identity()));
    page = new SearchPage(chromium, server.baseUrl(), SCREENSHOTS);
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

  @BeforeEach
  void desktopWindow() {
    chromium.resize(HeadlessChromium.DESKTOP);
    chromium.consoleSinceLastCall();
  }

  /** No script error, whatever the test did; refused requests are logged by Chromium itself. */
  @AfterEach
  void noScriptErrors() {
    List<String> errors =
        chromium.consoleSinceLastCall().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .map(LogEntry::getMessage)
            .filter(m -> !m.contains("Failed to load resource"))
            .toList();
    assertEquals(List.of(), errors, "errors in the browser console");
  }

  Item item(String id) {
    Item item = byId.get(id);
    assertNotNull(item, "no generated product " + id);
    return item;
  }

  /** What the server itself answers to GET {@code path}. */
  JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return json.readTree(response.body());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  // ----------------------------------------------------------------------------------------------

  @Test
  void typing_a_query_shows_results_without_submitting() {
    page.open("");
    assertEquals("Search the catalog", page.text("results-title"));
    assertFalse(page.visible("filters"), "no filters before a query");
    page.screenshot("01-start");

    page.typeQuery("red");

    List<Hit> hits = page.hits();
    assertEquals(24, hits.size(), page.diagnostics());
    assertEquals("Results for \u201cred\u201d", page.text("results-title"));
    assertTrue(page.text("status").startsWith("Showing results 1\u201324"), page.text("status"));
    // BM25 matches of "red" outrank every other product in the hybrid fusion.
    Set<String> topSix = hits.subList(0, 6).stream().map(Hit::id).collect(Collectors.toSet());
    Set<String> red =
        server.items().stream()
            .filter(i -> i.id().startsWith("p-red-"))
            .map(Item::id)
            .collect(Collectors.toSet());
    assertEquals(red, topSix);
    for (Hit hit : hits) {
      Item item = item(hit.id());
      assertEquals(item.title(), hit.title());
      assertEquals(item.brand(), hit.brand());
      assertEquals(item.title(), hit.alt(), "the picture's alt text names the product");
      assertTrue(hit.price().contains(String.format("%.2f", item.price())), hit.price());
      assertTrue(hit.score().matches("-?\\d\\.\\d{3}"), hit.score());
    }
    page.screenshot("02-text-results");

    // The keystrokes made one history entry: Back returns to the empty page.
    page.back();
    assertEquals("", page.search());
    assertEquals("Search the catalog", page.text("results-title"));
    assertEquals("", page.value("q"));
  }

  @Test
  void pressing_enter_searches_at_once() {
    page.open("");
    page.submitQuery("blue mug");
    assertEquals("blue mug", page.param("q"));
    // BM25 matches of either word (six blue products, six mugs, one of them blue) come first.
    Set<String> top = page.hitIds().subList(0, 11).stream().collect(Collectors.toSet());
    Set<String> matches =
        server.items().stream()
            .map(Item::id)
            .filter(id -> id.startsWith("p-blue-") || id.endsWith("-mug"))
            .collect(Collectors.toSet());
    assertEquals(matches, top);
  }

  @Test
  void choosing_an_image_file_searches_by_image_with_a_preview_that_can_be_cleared() {
    Item boot = item("p-green-boot");
    page.open("");
    page.chooseImage(server.picture(boot, 0));

    assertNotNull(page.param("img"), page.href());
    assertEquals("Products like your image", page.text("results-title"));
    Hit first = page.hits().get(0);
    assertEquals(boot.id(), first.id(), "the product's own picture finds it first");
    assertEquals("1.000", first.score());
    assertTrue(page.visible("query-image"));
    page.waitUntil(() -> page.imageLoaded("query-image-preview"), "the preview to load");
    page.screenshot("03-image-results");

    // The image query survives a reload: the browser keeps the picture under the URL's key.
    page.reload();
    assertEquals(boot.id(), page.hits().get(0).id());
    page.waitUntil(() -> page.imageLoaded("query-image-preview"), "the preview to load again");

    page.click(By.id("clear-image"));
    assertEquals("", page.search());
    assertFalse(page.visible("query-image"));
    assertEquals("Search the catalog", page.text("results-title"));
  }

  @Test
  void dropping_an_image_anywhere_searches_by_image() throws IOException {
    Item kite = item("p-yellow-kite");
    byte[] picture = Files.readAllBytes(server.picture(kite, 0));
    page.open("?q=lamp");

    page.dragOver(picture, "kite.png", "image/png");
    assertTrue(page.visible("drop-overlay"), "dragging a file over the page shows the drop zone");
    page.screenshot("04-drop-overlay");

    page.dropFile(picture, "kite.png", "image/png");
    assertFalse(page.visible("drop-overlay"));
    assertEquals(null, page.param("q"), "the image replaces the text query");
    assertEquals(kite.id(), page.hits().get(0).id());
    assertEquals("", page.value("q"));
  }

  @Test
  void pasting_an_image_searches_by_image() throws IOException {
    Item mug = item("p-black-mug");
    page.open("");
    page.find(By.id("q")).click();
    page.pasteFile(Files.readAllBytes(server.picture(mug, 0)), "image.png", "image/png");
    assertNotNull(page.param("img"));
    assertEquals(mug.id(), page.hits().get(0).id());
    assertEquals("", page.value("q"), "the picture is not pasted into the box as text");
  }

  @Test
  void a_result_opens_with_more_like_this_and_each_of_those_opens_its_own() {
    page.open("?q=hat");
    String first = page.hitIds().get(0);
    page.openResult(first);

    assertEquals(first, page.param("product"));
    assertEquals("hat", page.param("q"), "the query stays in the URL for Back");
    assertEquals(item(first).title(), page.text("product-title"));
    assertEquals("product-title", page.activeElementId(), "focus moves to the product");
    page.waitUntil(() -> page.imageLoaded("product-image"), "the product picture to load");
    List<Hit> similar = page.similarRow();
    assertEquals(12, similar.size());
    assertFalse(similar.stream().anyMatch(h -> h.id().equals(first)), "itself is not similar");
    page.screenshot("05-product");

    String next = similar.get(0).id();
    page.openSimilar(next);
    assertEquals(item(next).title(), page.text("product-title"));
    assertFalse(page.similarRow().stream().anyMatch(h -> h.id().equals(next)));

    page.back();
    assertEquals(first, page.param("product"));
    page.back();
    assertEquals(null, page.param("product"));
    assertTrue(page.visible("grid"));
    assertEquals(first, page.js("return document.activeElement.dataset.product;"));

    // Every result card links to its own similar products.
    page.moreLikeThis(first);
    assertEquals(first, page.param("similar"));
    assertEquals("Similar to \u201c" + item(first).title() + "\u201d", page.text("results-title"));
    List<String> ids = page.hitIds();
    assertEquals(24, ids.size());
    assertFalse(ids.contains(first));
  }

  /** What the server itself answers to POST {@code path} with a JSON body. */
  JsonNode postJson(String path, Object body) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return json.readTree(response.body());
  }

  @Test
  void more_like_this_refined_with_a_word_and_a_left_out_word_is_a_composed_query()
      throws Exception {
    page.open("?q=hat");
    String first = page.hitIds().get(0);
    page.moreLikeThis(first);
    assertTrue(page.visible("refine-form"), "the refine box is offered on more like this");

    page.refine("red -wool");

    assertEquals(first, page.param("similar"));
    assertEquals(
        "Similar to \u201c" + item(first).title() + "\u201d, but \u201cred -wool\u201d",
        page.text("results-title"));
    JsonNode expected =
        postJson(
            "/api/search",
            Map.of(
                "parts",
                List.of(
                    Map.of("product", first, "weight", 1),
                    Map.of("text", "red", "weight", 1),
                    Map.of("text", "wool", "weight", -0.5)),
                "k",
                24,
                "offset",
                0));
    List<String> expectedIds = new ArrayList<>();
    expected.get("hits").forEach(hit -> expectedIds.add(hit.get("id").asText()));
    assertEquals(expectedIds, page.hitIds(), "the page shows the composed query's ranking");
    assertFalse(page.hitIds().contains(first), "the product itself is not among its refinements");
    assertEquals("red -wool", page.value("refine"));
    page.screenshot("13-refined-similar");

    page.back();
    assertEquals(null, page.param("refine"));
    assertEquals("Similar to \u201c" + item(first).title() + "\u201d", page.text("results-title"));
  }

  @Test
  void a_brand_filter_narrows_the_results_and_changes_the_counts() {
    page.open("?q=sneaker");
    Map<String, Facet> brandsBefore = page.brands();
    Map<String, Facet> categoriesBefore = page.categories();
    assertEquals(Set.copyOf(GeneratedShop.BRANDS), brandsBefore.keySet());
    assertEquals(36, categoriesBefore.values().stream().mapToInt(Facet::count).sum());

    page.toggleBrand("Acme");

    assertEquals(List.of("Acme"), List.of(page.param("brand")));
    List<Hit> hits = page.hits();
    assertEquals(brandsBefore.get("Acme").count(), hits.size());
    assertTrue(hits.stream().allMatch(h -> h.brand().equals("Acme")), hits.toString());
    Map<String, Facet> categoriesAfter = page.categories();
    assertNotEquals(categoriesBefore, categoriesAfter);
    assertEquals(hits.size(), categoriesAfter.values().stream().mapToInt(Facet::count).sum());
    // The other brands stay offered with their counts for the query (drill sideways).
    Map<String, Facet> brandsAfter = page.brands();
    assertEquals(brandsBefore.keySet(), brandsAfter.keySet());
    assertTrue(brandsAfter.get("Acme").checked());
    assertFalse(brandsAfter.get("Hatco").checked());
    assertEquals(brandsBefore.get("Hatco").count(), brandsAfter.get("Hatco").count());
    page.screenshot("06-brand-filter");

    page.toggleBrand("Hatco");
    assertEquals(
        List.of("Acme", "Hatco"),
        page.js("return new URLSearchParams(location.search).getAll('brand');"));
    assertTrue(page.hits().stream().allMatch(h -> Set.of("Acme", "Hatco").contains(h.brand())));

    page.openCategory("Clothing");
    assertEquals(List.of("All categories", "Clothing"), page.breadcrumb());
    Set<String> below = page.categories().keySet();
    assertTrue(below.stream().allMatch(c -> c.startsWith("Clothing > ")), below.toString());
    assertTrue(
        page.hits().stream().allMatch(h -> item(h.id()).category().startsWith("Clothing")),
        page.hits().toString());
  }

  @Test
  void a_price_range_keeps_prices_in_it_and_a_reversed_one_shows_the_servers_message()
      throws Exception {
    page.open("?q=boot");
    page.applyPrice("20", "50");
    assertEquals("20", page.param("price_min"));
    assertEquals("50", page.param("price_max"));
    List<Hit> hits = page.hits();
    assertFalse(hits.isEmpty());
    for (Hit hit : hits) {
      double price = item(hit.id()).price();
      assertTrue(price >= 20 && price <= 50, hit + " costs " + price);
    }
    long inRange = server.items().stream().filter(i -> i.price() >= 20 && i.price() <= 50).count();
    assertEquals(inRange, hits.size());

    page.applyPrice("60", "10");
    String expected =
        get("/api/search?q=boot&price_min=60&price_max=10").at("/error/message").asText();
    assertFalse(expected.isBlank());
    assertEquals(expected, page.error());
    assertEquals("true", page.find(By.id("price-min")).getAttribute("aria-invalid"));
    assertTrue(page.hits().isEmpty());
  }

  @Test
  void the_url_round_trips_through_reload_back_and_forward() {
    page.open("?q=lamp");
    List<String> firstPage = page.hitIds();
    page.click(By.id("next-page"));
    assertEquals("2", page.param("page"));
    assertEquals("Showing results 25\u201336.", page.text("status"));
    List<String> secondPage = page.hitIds();
    assertEquals(12, secondPage.size());
    assertTrue(secondPage.stream().noneMatch(firstPage::contains));

    page.toggleBrand("Lumo");
    assertEquals(null, page.param("page"), "a new filter starts again on page 1");
    List<String> filtered = page.hitIds();

    page.reload();
    assertEquals("lamp", page.value("q"));
    assertTrue(page.brands().get("Lumo").checked());
    assertEquals(filtered, page.hitIds());

    page.back();
    assertEquals("2", page.param("page"));
    assertEquals(secondPage, page.hitIds());
    assertFalse(page.brands().get("Lumo").checked());
    page.back();
    assertEquals(firstPage, page.hitIds());
    page.forward();
    assertEquals(secondPage, page.hitIds());

    // A shared link restores every control, and the page keeps its canonical form.
    String link =
        "?q=kite&category="
            + enc("Toys > Outdoor")
            + "&brand=Lumo&price_min=5&price_max=90&min_score=0.05";
    page.open(link);
    assertEquals(link, page.search());
    assertEquals("kite", page.value("q"));
    assertEquals("5", page.value("price-min"));
    assertEquals("90", page.value("price-max"));
    assertEquals("0.05", page.value("min-score"));
    assertEquals(List.of("All categories", "Toys", "Outdoor"), page.breadcrumb());
    assertTrue(page.brands().get("Lumo").checked());
  }

  @Test
  void a_hand_edited_url_keeps_what_it_can_and_drops_the_rest() {
    page.open("?q=red&img=abc&page=zero&price_min=cheap&price_max=40&min_score=-3&brand=&sort=x");
    assertEquals("?q=red&price_max=40", page.search());
    assertEquals(null, page.error());
    assertFalse(page.hits().isEmpty());
    assertTrue(
        page.hits().stream().allMatch(h -> item(h.id()).price() <= 40), page.hitIds().toString());
  }

  @Test
  void a_file_that_is_no_image_shows_the_servers_error() throws Exception {
    Path notes = Files.writeString(work.resolve("notes.txt"), "shopping list: milk, bread\n");
    page.open("");
    page.chooseImage(notes);

    HttpResponse<String> direct =
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/search/image"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofFile(notes))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode error = json.readTree(direct.body()).get("error");
    assertEquals(415, direct.statusCode(), direct.body());
    assertEquals(error.get("message").asText(), page.error());
    assertTrue(page.text("error-detail").contains("HTTP 415"), page.text("error-detail"));
    assertTrue(page.hits().isEmpty());
    assertTrue(page.visible("query-image"), "the rejected file stays shown, so it can be cleared");
    page.screenshot("07-upload-error");

    page.open("?product=no-such-product");
    String expected = get("/api/products/no-such-product").at("/error/message").asText();
    assertEquals(expected, page.error());
  }

  @Test
  void what_is_this_shows_a_probability_for_each_label() throws Exception {
    Item hat = item("p-white-hat");
    page.open("");
    page.chooseImage(server.picture(hat, 0));
    page.find(By.id("whatis-toggle")).click();
    assertEquals("labels", page.activeElementId());
    page.find(By.id("labels")).clear();
    page.find(By.id("labels")).sendKeys("a hat, a boot, a mug");
    page.find(By.cssSelector("#whatis button[type=submit]")).click();
    page.waitUntil(() -> page.texts(".whatis-list li").size() == 3, "three label probabilities");

    List<String> percents = page.texts(".whatis-percent");
    double sum = percents.stream().mapToDouble(p -> Double.parseDouble(p.replace("%", ""))).sum();
    assertEquals(100.0, sum, 0.2, percents.toString());
    List<String> labels = page.texts(".whatis-label");
    assertEquals(Set.of("a hat", "a boot", "a mug"), new HashSet<>(labels));
    page.screenshot("08-what-is-this");
  }

  @Test
  void a_random_weight_model_is_announced_by_a_banner() throws Exception {
    page.open("?q=mug");
    String model = get("/ready").get("model").asText();
    page.waitUntil(() -> page.visible("model-banner"), "the banner");
    String banner = page.text("model-banner");
    assertTrue(banner.contains("random weights"), banner);
    assertTrue(banner.contains(model), banner);
  }

  @Test
  void the_minimum_score_hides_the_tail_and_an_empty_page_says_what_to_do() throws Exception {
    Item sneaker = item("p-red-sneaker");
    page.open("");
    page.chooseImage(server.picture(sneaker, 0));
    int before = page.hits().size();
    page.setMinScore(0.99);
    List<Hit> kept = page.hits();
    assertTrue(kept.size() < before, kept.size() + " of " + before);
    assertEquals(sneaker.id(), kept.get(0).id());
    assertTrue(kept.stream().allMatch(h -> Double.parseDouble(h.score()) >= 0.99), kept.toString());

    page.open("?q=red&min_score=1");
    assertTrue(page.hits().isEmpty());
    assertEquals("No results.", page.text("status"));
    assertTrue(page.visible("empty"));
    page.screenshot("09-no-results");
    page.click(By.linkText("Show less similar results too"));
    assertEquals(null, page.param("min_score"));
    assertEquals(24, page.hits().size());
  }

  @Test
  void the_score_toggle_hides_scores_and_is_remembered() {
    page.open("?q=mug");
    String scoreShown =
        "return getComputedStyle(document.querySelector('#grid .card-score')).display !== 'none';";
    assertEquals(Boolean.TRUE, page.js(scoreShown));
    page.find(By.id("show-scores")).click();
    assertEquals(Boolean.FALSE, page.js(scoreShown));
    page.reload();
    assertFalse(page.checked("show-scores"));
    assertEquals(Boolean.FALSE, page.js(scoreShown));
    page.find(By.id("show-scores")).click();
    assertEquals(Boolean.TRUE, page.js(scoreShown));
  }

  @Test
  void the_page_works_from_the_keyboard() {
    page.open("?q=kite");
    page.js("document.activeElement.blur();");
    page.press("/");
    assertEquals("q", page.activeElementId(), "slash focuses the search box");
    page.press(Keys.TAB);
    assertEquals("image-input", page.activeElementId());
    page.press(Keys.TAB);
    assertEquals("Search", page.js("return document.activeElement.textContent.trim();"));

    // Enter on a focused result opens it; Escape goes back to the results, onto that result.
    String first = page.hitIds().get(0);
    page.js(
        "document.querySelector(\"#grid a.card-link[data-product='\" + arguments[0] + \"']\")"
            + ".focus();",
        first);
    page.navigateBy(() -> page.press(Keys.ENTER));
    assertEquals(first, page.param("product"));
    page.navigateBy(() -> page.press(Keys.ESCAPE));
    assertEquals(null, page.param("product"));
    assertEquals(first, page.js("return document.activeElement.dataset.product;"));

    // Every control has a name a screen reader can read.
    @SuppressWarnings("unchecked")
    List<String> unnamed =
        (List<String>)
            page.js(
                "return Array.from(document.querySelectorAll('input, button, select, a[href]'))"
                    + ".filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')"
                    + " && !e.getAttribute('aria-labelledby') && !e.textContent.trim()"
                    + " && !(e.querySelector('img[alt]') && e.querySelector('img').alt))"
                    + ".map((e) => e.outerHTML.slice(0, 120));");
    assertEquals(List.of(), unnamed);
    assertEquals("polite", page.find(By.id("status")).getAttribute("aria-live"));
  }

  @Test
  void the_page_fits_a_phone_screen() {
    chromium.resize(HeadlessChromium.PHONE);
    page.open("?q=red");
    assertNoHorizontalScroll();
    assertFalse(
        Boolean.TRUE.equals(page.js("return document.getElementById('filters').open;")),
        "filters start folded on a phone");
    assertEquals(
        Boolean.TRUE,
        page.js(
            "const c = document.querySelectorAll('#grid > li');"
                + " return c[0].offsetTop === c[1].offsetTop && c[1].offsetTop !== c[2].offsetTop;"),
        "two results per row");
    page.screenshot("10-phone-results");

    page.find(By.cssSelector("#filters > summary")).click();
    page.waitUntil(() -> page.visible("brand-list"), "the unfolded filters");
    page.screenshot("11-phone-filters");

    page.openResult(page.hitIds().get(0));
    assertNoHorizontalScroll();
    page.screenshot("12-phone-product");
  }

  private void assertNoHorizontalScroll() {
    Number overflow =
        (Number)
            page.js(
                "return document.documentElement.scrollWidth"
                    + " - document.documentElement.clientWidth;");
    Object widest =
        page.js(
            "const w = document.documentElement.clientWidth;"
                + " return Array.from(document.querySelectorAll('body *'))"
                + ".filter((e) => e.getBoundingClientRect().right > w + 0.5)"
                + ".slice(0, 5).map((e) => e.tagName + '#' + e.id + '.' + e.className"
                + " + ' right=' + Math.round(e.getBoundingClientRect().right));");
    assertEquals(
        0,
        overflow.intValue(),
        "the page scrolls sideways by " + overflow + " px; sticking out: " + widest);
  }
}
