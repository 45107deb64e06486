package dev.clipsearch.searcher.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.searcher.metrics.ServerMetrics;
import dev.clipsearch.searcher.service.ComposedSearch;
import dev.clipsearch.searcher.service.QueryPart;
import dev.clipsearch.searcher.service.SearchMode;
import dev.clipsearch.searcher.testing.HttpClientHarness.Multipart;
import dev.clipsearch.searcher.testing.HttpClientHarness.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code POST /api/search} (weighted parts) and its short forms ({@code like=} on {@code GET
 * /api/search}, {@code q} beside an uploaded image) over a scripted service: what reaches the
 * service, and a 4xx naming the part for every rule a body can break.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposedSearchApiTest {

  private static final long MAX_IMAGE = 64 * 1024;
  private static final byte[] SOME_IMAGE =
      "\u0089PNG fake image bytes".getBytes(StandardCharsets.UTF_8);
  private static final String B64 = Base64.getEncoder().encodeToString(SOME_IMAGE);

  private final FakeSearchService service = new FakeSearchService();
  private HttpHarness http;

  @BeforeAll
  void start() {
    http =
        new HttpHarness(
            SearchApi.create(
                ApiSettings.defaults().withMaxImageBytes(MAX_IMAGE),
                service,
                null,
                new ServerMetrics(),
                5_000));
  }

  @AfterAll
  void stop() {
    http.close();
  }

  private static Map<String, Object> part(String kind, Object value, Object weight) {
    Map<String, Object> part = new LinkedHashMap<>();
    part.put(kind, value);
    if (weight != null) {
      part.put("weight", weight);
    }
    return part;
  }

  private static Map<String, Object> body(Object parts, Object... options) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("parts", parts);
    for (int i = 0; i < options.length; i += 2) {
      body.put((String) options[i], options[i + 1]);
    }
    return body;
  }

  private ComposedSearch last() {
    return assertInstanceOf(ComposedSearch.class, service.lastRequest.get());
  }

  private static void assertError(Reply reply, int status, String code, String parameter) {
    assertEquals(status, reply.status(), reply.toString());
    JsonNode error = reply.error();
    assertEquals(code, error.get("code").asText(), reply.toString());
    if (parameter != null) {
      assertEquals(parameter, error.path("parameter").asText(), reply.toString());
      String named =
          parameter.contains("[") ? parameter.substring(0, parameter.indexOf(']') + 1) : parameter;
      assertTrue(error.get("message").asText().contains(named), reply.toString());
    }
  }

  @Test
  void weighted_parts_reach_the_service_with_filters_paging_and_mode() {
    Reply reply =
        http.postJson(
            "/api/search",
            body(
                List.of(
                    part("text", "red", 1.0),
                    part("product", "p1", 0.7),
                    part("image_base64", B64, 0.5),
                    part("text", "leather", -0.4)),
                "k",
                5,
                "offset",
                10,
                "mode",
                "vector",
                "brand",
                List.of("Acme", "Zed"),
                "tags",
                "sale,new",
                "price_max",
                80,
                "category",
                "Clothing"));
    assertEquals(200, reply.status(), reply.toString());
    ComposedSearch search = last();
    assertEquals(SearchMode.VECTOR, search.mode());
    assertEquals(5, search.options().k());
    assertEquals(10, search.options().offset());
    assertEquals(List.of("Acme", "Zed"), search.options().filters().brands());
    assertEquals(List.of("sale", "new"), search.options().filters().tags());
    assertEquals(80.0, search.options().filters().priceMax());
    assertEquals("Clothing", search.options().filters().categoryPrefix());
    assertEquals(new QueryPart.Text("red", 1.0), search.parts().get(0));
    assertEquals(new QueryPart.Product("p1", 0.7), search.parts().get(1));
    QueryPart.Image image = assertInstanceOf(QueryPart.Image.class, search.parts().get(2));
    assertArrayEquals(SOME_IMAGE, image.image());
    assertEquals(0.5, image.weight());
    assertEquals(new QueryPart.Text("leather", -0.4), search.parts().get(3));
    // The same response shape as GET /api/search.
    JsonNode json = reply.json();
    assertEquals("composed", json.at("/query/type").asText());
    assertEquals("p1", json.at("/query/product_id").asText());
    assertEquals("p1", json.at("/hits/0/id").asText());
    assertEquals("/api/products/p1/thumbnail", json.at("/hits/0/thumbnail_url").asText());
    assertTrue(json.has("paging") && json.has("facets") && json.has("timings"), json.toString());
  }

  @Test
  void a_part_without_weight_counts_once_and_mode_defaults_to_hybrid() {
    assertEquals(200, http.postJson("/api/search", body(List.of(Map.of("text", "lamp")))).status());
    assertEquals(new QueryPart.Text("lamp", 1.0), last().parts().getFirst());
    assertEquals(SearchMode.HYBRID, last().mode());
    assertEquals(SearchParams.DEFAULT_K, last().options().k());
  }

  @Test
  void weights_at_both_ends_of_the_range_are_accepted() {
    Reply reply =
        http.postJson(
            "/api/search", body(List.of(part("text", "lamp", 1), part("text", "ceiling", -1))));
    assertEquals(200, reply.status(), reply.toString());
    assertEquals(-1.0, last().parts().get(1).weight());
  }

  @Test
  void rejects_a_body_without_parts_or_with_an_empty_or_oversized_list() {
    assertError(http.postJson("/api/search", Map.of("k", 3)), 400, "missing_parameter", "parts");
    assertError(http.postJson("/api/search", body(List.of())), 400, "invalid_parameter", "parts");
    assertError(http.postJson("/api/search", body("red")), 400, "invalid_parameter", "parts");
    List<Object> nine = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      nine.add(part("text", "w" + i, 0.1));
    }
    Reply tooMany = http.postJson("/api/search", body(nine));
    assertError(tooMany, 400, "invalid_parameter", "parts");
    assertTrue(tooMany.error().get("message").asText().contains("1 to 8"), tooMany.toString());
    assertEquals(200, http.postJson("/api/search", body(nine.subList(0, 8))).status());
  }

  @Test
  void rejects_parts_without_a_positive_weight() {
    Reply reply =
        http.postJson(
            "/api/search", body(List.of(part("text", "red", -0.5), part("product", "p1", 0))));
    assertError(reply, 400, "invalid_parameter", "parts");
    assertTrue(reply.error().get("message").asText().contains("positive"), reply.toString());
  }

  @Test
  void rejects_a_weight_outside_its_range_or_not_a_number_naming_the_part() {
    for (Object weight : List.of(1.5, -1.01, "0.5", true)) {
      Reply reply =
          http.postJson(
              "/api/search", body(List.of(part("text", "red", 1), part("text", "blue", weight))));
      assertError(reply, 400, "invalid_parameter", "parts[1].weight");
    }
    // A number too large for a double reads as infinity: not finite.
    Reply huge =
        http.post(
            "/api/search",
            "application/json",
            "{\"parts\":[{\"text\":\"red\",\"weight\":1e309}]}".getBytes(StandardCharsets.UTF_8));
    assertError(huge, 400, "invalid_parameter", "parts[0].weight");
    // NaN and Infinity are not JSON: a malformed body.
    Reply nan =
        http.post(
            "/api/search",
            "application/json",
            "{\"parts\":[{\"text\":\"red\",\"weight\":NaN}]}".getBytes(StandardCharsets.UTF_8));
    assertError(nan, 400, "malformed_body", null);
  }

  @Test
  void rejects_a_part_that_is_not_exactly_one_kind_naming_it() {
    assertError(
        http.postJson("/api/search", body(List.of(part("text", "red", 1), Map.of("weight", 1)))),
        400,
        "invalid_parameter",
        "parts[1]");
    assertError(
        http.postJson("/api/search", body(List.of(Map.of("text", "red", "product", "p1")))),
        400,
        "invalid_parameter",
        "parts[0]");
    assertError(
        http.postJson("/api/search", body(List.of("red"))), 400, "invalid_parameter", "parts[0]");
    assertError(
        http.postJson("/api/search", body(List.of(Map.of("text", "red", "wieght", 1)))),
        400,
        "invalid_parameter",
        "parts[0].wieght");
  }

  @Test
  void rejects_an_empty_or_non_string_value_naming_the_part() {
    assertError(
        http.postJson("/api/search", body(List.of(part("text", "red", 1), part("text", " ", 1)))),
        400,
        "invalid_parameter",
        "parts[1].text");
    assertError(
        http.postJson("/api/search", body(List.of(part("product", "", 1)))),
        400,
        "invalid_parameter",
        "parts[0].product");
    assertError(
        http.postJson("/api/search", body(List.of(part("product", 42, 1)))),
        400,
        "invalid_parameter",
        "parts[0].product");
  }

  @Test
  void rejects_bad_base64_and_an_empty_image_naming_the_part() {
    assertError(
        http.postJson(
            "/api/search",
            body(List.of(part("text", "red", 1), part("image_base64", "***not base64***", 1)))),
        400,
        "invalid_parameter",
        "parts[1].image_base64");
    assertError(
        http.postJson("/api/search", body(List.of(part("image_base64", "", 1)))),
        400,
        "empty_image",
        "parts[0].image_base64");
  }

  @Test
  void rejects_an_oversized_image_part_with_413() {
    String big = Base64.getEncoder().encodeToString(new byte[(int) MAX_IMAGE + 10]);
    assertError(
        http.postJson("/api/search", body(List.of(part("image_base64", big, 1)))),
        413,
        "payload_too_large",
        null);
  }

  @Test
  void an_unknown_product_is_a_404_naming_the_part() {
    Reply reply =
        http.postJson(
            "/api/search", body(List.of(part("text", "red", 1), part("product", "nope", 0.5))));
    assertError(reply, 404, "product_not_found", null);
    assertTrue(reply.error().get("message").asText().contains("parts[1]"), reply.toString());
  }

  @Test
  void rejects_bad_options_naming_them_as_get_does() {
    List<Object> parts = List.of(part("text", "red", 1));
    assertError(http.postJson("/api/search", body(parts, "k", 0)), 400, "invalid_parameter", "k");
    assertError(
        http.postJson("/api/search", body(parts, "k", "many")), 400, "invalid_parameter", "k");
    assertError(
        http.postJson("/api/search", body(parts, "offset", -1)),
        400,
        "invalid_parameter",
        "offset");
    assertError(
        http.postJson("/api/search", body(parts, "price_min", 9, "price_max", 3)),
        400,
        "invalid_parameter",
        "price_min");
    assertError(
        http.postJson("/api/search", body(parts, "mode", "lexical")),
        400,
        "invalid_parameter",
        "mode");
    assertError(
        http.postJson("/api/search", body(parts, "brand", Map.of("a", 1))),
        400,
        "invalid_parameter",
        "brand");
    assertError(
        http.postJson("/api/search", body(parts, "colour", "red")),
        400,
        "invalid_parameter",
        "colour");
  }

  @Test
  void rejects_a_body_that_is_not_a_json_object() {
    assertError(
        http.post("/api/search", "text/plain", "red".getBytes(StandardCharsets.UTF_8)),
        415,
        "unsupported_media_type",
        null);
    assertError(
        http.post("/api/search", "application/json", "{parts".getBytes(StandardCharsets.UTF_8)),
        400,
        "malformed_body",
        null);
    assertError(http.postJson("/api/search", List.of(1, 2)), 400, "malformed_body", null);
  }

  @Test
  void like_beside_q_is_a_product_and_a_text_of_equal_weight() {
    Reply reply = http.get("/api/search?q=red&like=p1&k=3&mode=vector");
    assertEquals(200, reply.status(), reply.toString());
    assertEquals("composed", reply.json().at("/query/type").asText());
    assertEquals(
        List.of(new QueryPart.Product("p1", 1.0), new QueryPart.Text("red", 1.0)), last().parts());
    assertEquals(3, last().options().k());
    assertEquals(SearchMode.VECTOR, last().mode());

    Reply unknown = http.get("/api/search?q=red&like=nope");
    assertError(unknown, 404, "product_not_found", null);
    assertTrue(unknown.error().get("message").asText().contains("'like'"), unknown.toString());
    assertError(http.get("/api/search?q=red&like=+"), 400, "invalid_parameter", "like");
    assertError(
        http.get("/api/search?q=red&like=p1&mode=lexical"), 400, "invalid_parameter", "mode");
    assertError(http.get("/api/search?like=p1"), 400, "missing_parameter", "q");
  }

  @Test
  void q_beside_an_uploaded_image_composes_in_every_upload_form() {
    Multipart form =
        new Multipart().file("image", "q.png", "image/png", SOME_IMAGE).field("q", "red");
    Reply multipart = http.post("/api/search/image?k=4", form.contentType(), form.bytes());
    assertEquals(200, multipart.status(), multipart.toString());
    assertEquals("composed", multipart.json().at("/query/type").asText());
    assertImageAndText("red");
    assertEquals(SearchMode.VECTOR, last().mode());
    assertEquals(4, last().options().k());

    Reply json = http.postJson("/api/search/image", Map.of("image_base64", B64, "q", "blue"));
    assertEquals(200, json.status(), json.toString());
    assertImageAndText("blue");

    Reply raw = http.post("/api/search/image?q=green&mode=hybrid", "image/png", SOME_IMAGE);
    assertEquals(200, raw.status(), raw.toString());
    assertImageAndText("green");
    assertEquals(SearchMode.HYBRID, last().mode());

    assertError(
        http.postJson("/api/search/image", Map.of("image_base64", B64, "q", " ")),
        400,
        "invalid_parameter",
        "q");
    // Without q the route is a plain image search, as before.
    Reply plain = http.post("/api/search/image", "image/png", SOME_IMAGE);
    assertEquals("image", plain.json().at("/query/type").asText());
    assertFalse(service.lastRequest.get() instanceof ComposedSearch);
  }

  private void assertImageAndText(String text) {
    List<QueryPart> parts = last().parts();
    assertArrayEquals(SOME_IMAGE, assertInstanceOf(QueryPart.Image.class, parts.get(0)).image());
    assertEquals(new QueryPart.Text(text, 1.0), parts.get(1));
  }
}
