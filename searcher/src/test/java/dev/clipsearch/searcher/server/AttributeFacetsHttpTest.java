package dev.clipsearch.searcher.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.tag.AttributeFile;
import dev.clipsearch.indexer.tag.AttributeTagger;
import dev.clipsearch.indexer.tag.CatalogTagger;
import dev.clipsearch.models.testing.Colors;
import dev.clipsearch.models.testing.FakeClipModel;
import dev.clipsearch.searcher.api.ApiSettings;
import dev.clipsearch.searcher.encode.EncoderSettings;
import dev.clipsearch.searcher.search.SearchSettings;
import dev.clipsearch.searcher.testing.FakeImageProcessor;
import dev.clipsearch.searcher.testing.HttpClientHarness;
import dev.clipsearch.searcher.testing.HttpClientHarness.Reply;
import dev.clipsearch.searcher.testing.TestCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zero-shot attributes end to end: the shop catalog tagged by {@code CatalogTagger} from its stored
 * vectors (colour images, so each product's colour is known), then searched over HTTP: the {@code
 * attr.color} facet in every search response and the {@code attr.color} filter on every search
 * route; the product route shows them, and an admin upsert keeps them unless it sends its own (that
 * test runs last: it changes the catalog).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AttributeFacetsHttpTest {

  private static final String TOKEN = "attribute-admin-token";

  @TempDir static Path dir;
  final FakeClipModel model = new FakeClipModel();
  SearchServer server;
  HttpClientHarness http;

  @BeforeAll
  void start() throws Exception {
    Path index = dir.resolve("index");
    TestCatalog.write(index, model, TestCatalog.SHOP);
    long encodedBefore = model.imagesEncoded();
    try (CatalogIndex store =
        CatalogIndex.openOrCreate(index, model.spec(), IndexSettings.DEFAULTS)) {
      AttributeFile file =
          AttributeFile.parse(
              "colours.txt", "color: red, green, blue, yellow, black, white, purple, orange | {}");
      CatalogTagger.run(
          store, new AttributeTagger(file, model, 0.5, 0.2), "complete", n -> {}, n -> {});
    }
    assertEquals(encodedBefore, model.imagesEncoded(), "tagging encoded an image");
    ServerConfig config =
        new ServerConfig(
            index,
            "fake",
            "127.0.0.1",
            0,
            "cpu",
            ApiSettings.defaults().withAdminToken(TOKEN),
            new EncoderSettings(1, 1, 1000, 1000, Duration.ofSeconds(30), Duration.ofSeconds(2)),
            SearchSettings.defaults(),
            40_000_000,
            Duration.ofSeconds(10));
    server =
        SearchServer.start(
            config,
            model,
            new FakeImageProcessor(config.maxImagePixels(), false),
            new FakeImageProcessor(config.maxImagePixels(), true));
    http = new HttpClientHarness("http://127.0.0.1:" + server.port());
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private static Set<String> ids(JsonNode body) {
    Set<String> ids = new TreeSet<>();
    body.get("hits").forEach(hit -> ids.add(hit.get("id").asText()));
    return ids;
  }

  private static Map<String, Integer> counts(JsonNode facet) {
    Map<String, Integer> out = new LinkedHashMap<>();
    facet.forEach(v -> out.put(v.get("value").asText(), v.get("count").asInt()));
    return out;
  }

  @Test
  void search_responses_count_the_attribute_facet() {
    Reply reply = http.get("/api/search?q=thing&mode=vector&k=24");
    assertEquals(200, reply.status(), reply.toString());
    JsonNode attributes = reply.json().at("/facets/attributes");
    assertEquals(List.of("attr.color"), fieldNames(attributes));
    Map<String, Integer> colours = counts(attributes.get("attr.color"));
    assertEquals(2, colours.get("red"), colours.toString());
    assertEquals(1, colours.get("blue"), colours.toString());
    assertEquals(1, colours.get("black"), colours.toString());
    assertEquals(1, colours.get("white"), colours.toString());
    assertEquals(1, colours.get("purple"), colours.toString());
    assertEquals(1, colours.get("orange"), colours.toString());
    // the kite is green and yellow: its most confident image decides, it counts once
    assertEquals(
        1,
        colours.getOrDefault("green", 0) + colours.getOrDefault("yellow", 0),
        colours.toString());
    assertEquals(8, colours.values().stream().mapToInt(Integer::intValue).sum());
  }

  @Test
  void the_attribute_filter_applies_to_every_search_route() {
    Reply red = http.get("/api/search?q=thing&mode=vector&attr.color=red");
    assertEquals(200, red.status(), red.toString());
    assertEquals(Set.of("p-red-shoe", "p-red-hat"), ids(red.json()));
    assertEquals(Map.of("red", 2), counts(red.json().at("/facets/attributes").get("attr.color")));

    Reply either = http.get("/api/search?q=shoe&mode=hybrid&attr.color=red,blue");
    assertEquals(Set.of("p-red-shoe", "p-red-hat", "p-blue-shoe"), ids(either.json()));
    Reply repeated = http.get("/api/search?q=shoe&mode=lexical&attr.color=red&attr.color=blue");
    assertEquals(Set.of("p-red-shoe", "p-blue-shoe"), ids(repeated.json()));

    Reply withBrand = http.get("/api/search?q=thing&mode=vector&attr.color=red&brand=Acme");
    assertEquals(Set.of("p-red-shoe"), ids(withBrand.json()));

    Reply similar = http.get("/api/products/p-blue-shoe/similar?attr.color=red");
    assertEquals(200, similar.status(), similar.toString());
    assertEquals(Set.of("p-red-shoe", "p-red-hat"), ids(similar.json()));

    Reply image = http.post("/api/search/image?attr.color=red", "image/png", Colors.png("blue"));
    assertEquals(200, image.status(), image.toString());
    assertEquals(Set.of("p-red-shoe", "p-red-hat"), ids(image.json()));

    Reply none = http.get("/api/search?q=thing&mode=vector&attr.material=leather");
    assertEquals(200, none.status(), none.toString());
    assertEquals(Set.of(), ids(none.json()));
  }

  @Test
  void composed_queries_take_attribute_filters_in_the_body() {
    Reply reply =
        http.postJson(
            "/api/search",
            Map.of(
                "parts", List.of(Map.of("text", "blue", "weight", 1.0)),
                "mode", "vector",
                "attr.color", List.of("red")));
    assertEquals(200, reply.status(), reply.toString());
    assertEquals(Set.of("p-red-shoe", "p-red-hat"), ids(reply.json()));
  }

  @Test
  void a_malformed_attribute_filter_is_a_400_naming_it() {
    Reply upper = http.get("/api/search?q=thing&attr.Color=red");
    assertEquals(400, upper.status(), upper.toString());
    assertEquals("attr.Color", upper.error().get("parameter").asText());
    Reply empty = http.get("/api/search?q=thing&attr.color=");
    assertEquals(400, empty.status(), empty.toString());
    assertEquals("attr.color", empty.error().get("parameter").asText());
    Reply body =
        http.postJson(
            "/api/search", Map.of("parts", List.of(Map.of("text", "red")), "attr.Color", "red"));
    assertEquals(400, body.status(), body.toString());
    assertEquals("attr.Color", body.error().get("parameter").asText());
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void the_product_route_shows_attributes_and_an_admin_upsert_keeps_or_replaces_them() {
    Reply before = http.get("/api/products/p-red-shoe");
    assertEquals(200, before.status(), before.toString());
    assertEquals(Map.of("color", "red"), attributes(before.json()));

    // An edit that sends no facet_attributes keeps what clipsearch tag computed.
    String auth = "Bearer " + TOKEN;
    Map<String, Object> edit = new LinkedHashMap<>();
    edit.put("title", before.json().get("title").asText());
    edit.put("brand", before.json().get("brand").asText());
    edit.put("description", "edited by the admin API");
    edit.put("images_base64", List.of(Base64.getEncoder().encodeToString(Colors.png("red"))));
    Reply kept = http.putJson("/api/admin/products/p-red-shoe", edit, "Authorization", auth);
    assertEquals(200, kept.status(), kept.toString());
    Reply after = http.get("/api/products/p-red-shoe");
    assertEquals("edited by the admin API", after.json().get("description").asText());
    assertEquals(Map.of("color", "red"), attributes(after.json()));
    assertEquals(
        Set.of("p-red-shoe", "p-red-hat"),
        ids(http.get("/api/search?q=thing&mode=vector&attr.color=red").json()));

    // facet_attributes in the body replace them; {} removes them.
    edit.put("facet_attributes", Map.of("color", "blue", "material", "leather"));
    assertEquals(
        200, http.putJson("/api/admin/products/p-red-shoe", edit, "Authorization", auth).status());
    assertEquals(
        Map.of("color", "blue", "material", "leather"),
        attributes(http.get("/api/products/p-red-shoe").json()));
    assertEquals(
        Set.of("p-red-shoe"),
        ids(http.get("/api/search?q=thing&mode=vector&attr.material=leather").json()));
    edit.put("facet_attributes", Map.of());
    assertEquals(
        200, http.putJson("/api/admin/products/p-red-shoe", edit, "Authorization", auth).status());
    assertEquals(Map.of(), attributes(http.get("/api/products/p-red-shoe").json()));

    // A new product with its own attributes.
    edit.put("facet_attributes", Map.of("color", "green"));
    Reply created = http.putJson("/api/admin/products/p-new", edit, "Authorization", auth);
    assertEquals(201, created.status(), created.toString());
    assertEquals(Map.of("color", "green"), attributes(http.get("/api/products/p-new").json()));

    edit.put("facet_attributes", Map.of("Color", "green"));
    Reply badName = http.putJson("/api/admin/products/p-new", edit, "Authorization", auth);
    assertEquals(400, badName.status(), badName.toString());
    assertEquals("facet_attributes", badName.error().get("parameter").asText());
    edit.put("facet_attributes", Map.of("color", " "));
    Reply blank = http.putJson("/api/admin/products/p-new", edit, "Authorization", auth);
    assertEquals(400, blank.status(), blank.toString());
    assertEquals("facet_attributes", blank.error().get("parameter").asText());
  }

  private static Map<String, String> attributes(JsonNode product) {
    Map<String, String> out = new LinkedHashMap<>();
    product
        .get("facet_attributes")
        .properties()
        .forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
