package dev.clipsearch.searcher.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.searcher.browser.SearchPage.Facet;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.logging.LogEntry;

/**
 * The search page's {@code attr.*} facets, in headless Chromium, over the generated shop tagged
 * with a colour attribute: the page shows the counts the API gives, and checking a value filters
 * the results through the URL.
 */
@Tag("browser")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class AttributeFacetsBrowserTest {

  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @TempDir static Path work;

  ShopServer server;
  HeadlessChromium chromium;
  SearchPage page;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  void start() throws Exception {
    Files.createDirectories(Path.of("target"));
    chromium =
        HeadlessChromium.start(
            Files.createDirectory(work.resolve("profile")),
            Path.of("target", "chromedriver-attributes.log"));
    server =
        ShopServer.start(
            work.resolve("server"), "color: red, green, blue, black | a photo of a {} product");
    page = new SearchPage(chromium, server.baseUrl(), SCREENSHOTS);
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

  JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return json.readTree(response.body());
  }

  static Map<String, Integer> counts(JsonNode facet) {
    Map<String, Integer> out = new LinkedHashMap<>();
    facet.forEach(v -> out.put(v.get("value").asText(), v.get("count").asInt()));
    return out;
  }

  static Map<String, Integer> counts(Map<String, Facet> facet) {
    Map<String, Integer> out = new LinkedHashMap<>();
    facet.forEach((value, f) -> out.put(value, f.count()));
    return out;
  }

  @Test
  void the_page_shows_attribute_facets_and_filters_by_them() throws Exception {
    page.open("?q=shoe");
    JsonNode api = get("/api/search?q=shoe&k=24").at("/facets/attributes/attr.color");
    Map<String, Integer> expected = counts(api);
    assertFalse(expected.isEmpty(), "the tagged index has colour counts");
    Map<String, Facet> shown = page.attributeFacet("color");
    assertEquals(expected, counts(shown), page.diagnostics());
    assertTrue(shown.values().stream().noneMatch(Facet::checked));
    page.screenshot("attr-01-facets");

    String value = expected.keySet().iterator().next();
    page.toggleAttribute("color", value);
    assertEquals(value, page.param("attr.color"));
    JsonNode filtered =
        get(
            "/api/search?q=shoe&k=24&attr.color="
                + URLEncoder.encode(value, StandardCharsets.UTF_8));
    assertEquals(
        List.of(value),
        List.copyOf(counts(filtered.at("/facets/attributes/attr.color")).keySet()),
        "only products of the value are left");
    List<String> ids = new ArrayList<>();
    filtered.get("hits").forEach(h -> ids.add(h.get("id").asText()));
    assertFalse(ids.isEmpty());
    assertEquals(ids, page.hitIds());
    assertTrue(page.attributeFacet("color").get(value).checked());
    page.screenshot("attr-02-filtered");

    // unchecking the value drops the filter
    page.toggleAttribute("color", value);
    assertNull(page.param("attr.color"));
    assertTrue(page.attributeFacet("color").values().stream().noneMatch(Facet::checked));
    assertEquals(expected, counts(page.attributeFacet("color")));
  }
}
