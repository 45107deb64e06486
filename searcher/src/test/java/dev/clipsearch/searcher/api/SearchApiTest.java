package dev.clipsearch.searcher.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.searcher.metrics.ServerMetrics;
import dev.clipsearch.searcher.service.ClassifyRequest;
import dev.clipsearch.searcher.service.ComposedSearch;
import dev.clipsearch.searcher.service.ImageSearch;
import dev.clipsearch.searcher.service.SearchFilters;
import dev.clipsearch.searcher.service.SearchMode;
import dev.clipsearch.searcher.service.SimilarSearch;
import dev.clipsearch.searcher.service.TextSearch;
import dev.clipsearch.searcher.testing.HttpClientHarness.Multipart;
import dev.clipsearch.searcher.testing.HttpClientHarness.Reply;
import io.javalin.Javalin;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP layer over a scripted service: routing, validation, error shape, upload forms. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchApiTest {

  private static final long MAX_IMAGE = 64 * 1024;
  private static final String TOKEN = "s3cret-token";
  private static final byte[] SOME_IMAGE =
      "\u0089PNG fake image bytes".getBytes(StandardCharsets.UTF_8);

  private final FakeSearchService service = new FakeSearchService();
  private HttpHarness http;

  @BeforeAll
  void start() {
    ApiSettings settings =
        ApiSettings.defaults().withMaxImageBytes(MAX_IMAGE).withAdminToken(TOKEN);
    http =
        new HttpHarness(
            SearchApi.create(
                settings,
                service,
                new AdminRoutes(service, MAX_IMAGE),
                new ServerMetrics(),
                5_000));
  }

  @AfterAll
  void stop() {
    http.close();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void assertError(Reply reply, int status, String code, String parameter) {
    assertEquals(status, reply.status(), reply.toString());
    JsonNode error = reply.error();
    assertEquals(status, error.get("status").asInt(), reply.toString());
    assertEquals(code, error.get("code").asText(), reply.toString());
    assertFalse(error.get("message").asText().isBlank(), reply.toString());
    assertEquals(reply.header("X-Request-Id"), error.get("request_id").asText(), reply.toString());
    if (parameter != null) {
      assertEquals(parameter, error.path("parameter").asText(), reply.toString());
    }
    assertTrue(reply.header("Content-Type").startsWith("application/json"), reply.toString());
  }

  @Test
  void text_search_returns_hits_with_links_paging_facets_and_timings() {
    Reply reply = http.get("/api/search?q=red+shoes");
    assertEquals(200, reply.status(), reply.toString());
    JsonNode body = reply.json();
    assertEquals("hybrid", body.get("mode").asText());
    assertEquals("cosine", body.get("score_type").asText());
    assertEquals("red shoes", body.at("/query/text").asText());
    JsonNode first = body.at("/hits/0");
    assertEquals("p1", first.get("id").asText());
    assertEquals(0.31, first.get("score").asDouble(), 1e-9);
    assertEquals("/api/products/p1/thumbnail", first.get("thumbnail_url").asText());
    assertEquals("/api/products/p1", first.get("product_url").asText());
    assertEquals(0, first.get("matched_image").asInt());
    JsonNode second = body.at("/hits/1");
    assertEquals("/api/products/p%202%2Fx/thumbnail?image=1", second.get("thumbnail_url").asText());
    assertFalse(second.has("price"), "absent fields are left out: " + second);
    assertEquals(24, body.at("/paging/k").asInt());
    assertEquals(0, body.at("/paging/offset").asInt());
    assertEquals(2, body.at("/paging/returned").asInt());
    assertFalse(body.at("/paging/has_more").asBoolean());
    assertEquals("Clothing > Shoes", body.at("/facets/categories/1/value").asText());
    assertEquals(1, body.at("/facets/brands/0/count").asInt());
    assertEquals(4.0, body.at("/timings/total_ms").asDouble(), 1e-9);
    assertNotNull(reply.header("X-Request-Id"));
  }

  @Test
  void search_parameters_reach_the_service_as_filters_paging_and_mode() {
    Reply reply =
        http.get(
            "/api/search?q=boots&k=7&offset=14&mode=vector&min_score=0.2"
                + "&category="
                + enc("Clothing > Shoes")
                + "&brand=Acme&brand="
                + enc("Zed & Co")
                + "&price_min=10&price_max=99.5&tags=red,leather&tags=sale");
    assertEquals(200, reply.status(), reply.toString());
    TextSearch search = assertInstanceOf(TextSearch.class, service.lastRequest.get());
    assertEquals("boots", search.query());
    assertEquals(SearchMode.VECTOR, search.mode());
    assertEquals(7, search.options().k());
    assertEquals(14, search.options().offset());
    assertEquals(0.2, search.options().minScore(), 1e-12);
    assertEquals(
        new SearchFilters(
            "Clothing > Shoes",
            List.of("Acme", "Zed & Co"),
            10.0,
            99.5,
            List.of("red", "leather", "sale")),
        search.options().filters());
  }

  @Test
  void facets_are_counted_unless_the_request_says_facets_false() {
    http.get("/api/search?q=boots");
    assertTrue(assertInstanceOf(TextSearch.class, service.lastRequest.get()).options().facets());
    assertEquals(200, http.get("/api/search?q=boots&facets=FALSE").status());
    assertFalse(assertInstanceOf(TextSearch.class, service.lastRequest.get()).options().facets());
    assertEquals(200, http.get("/api/products/p1/similar?facets=false").status());
    assertFalse(
        assertInstanceOf(SimilarSearch.class, service.lastRequest.get()).options().facets());
    assertEquals(
        200,
        http.postJson(
                "/api/search", Map.of("parts", List.of(Map.of("text", "boots")), "facets", false))
            .status());
    assertFalse(
        assertInstanceOf(ComposedSearch.class, service.lastRequest.get()).options().facets());
  }

  @Test
  void rejects_a_facets_value_other_than_true_or_false() {
    assertError(
        http.get("/api/search?q=shoe&facets=no"), 400, ErrorCodes.INVALID_PARAMETER, "facets");
  }

  @Test
  void rejects_a_missing_or_empty_query() {
    assertError(http.get("/api/search"), 400, ErrorCodes.MISSING_PARAMETER, "q");
    assertError(http.get("/api/search?q="), 400, ErrorCodes.INVALID_PARAMETER, "q");
    assertError(http.get("/api/search?q=%20%20"), 400, ErrorCodes.INVALID_PARAMETER, "q");
  }

  @Test
  void a_very_long_query_is_not_rejected_by_the_http_layer() {
    String longQuery = "red leather sneakers with white soles ".repeat(800); // ~30 000 characters
    Reply reply = http.get("/api/search?q=" + enc(longQuery));
    assertEquals(200, reply.status(), reply.toString());
  }

  @ParameterizedTest
  @CsvSource({"k,0", "k,1001", "k,-3", "k,ten", "k,2.5", "offset,-1", "offset,10001", "offset,x"})
  void rejects_paging_outside_its_range_naming_the_parameter(String name, String value) {
    Reply reply = http.get("/api/search?q=shoe&" + name + "=" + enc(value));
    assertError(reply, 400, ErrorCodes.INVALID_PARAMETER, name);
    assertTrue(reply.error().get("message").asText().contains(name), reply.toString());
  }

  @Test
  void accepts_k_at_both_ends_of_its_range() {
    assertEquals(200, http.get("/api/search?q=shoe&k=1").status());
    assertEquals(200, http.get("/api/search?q=shoe&k=1000").status());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "price_min|price_min=abc",
        "price_max|price_max=-5",
        "price_min|price_min=NaN",
        "price_min|price_min=50&price_max=10",
        "brand|brand=",
        "brand|brand=%20",
        "category|category=",
        "tags|tags=red,,blue",
        "min_score|min_score=high",
        "min_score|min_score=Infinity",
        "mode|mode=fuzzy",
      })
  void rejects_a_malformed_filter_naming_the_parameter(String parameter, String query) {
    assertError(
        http.get("/api/search?q=shoe&" + query), 400, ErrorCodes.INVALID_PARAMETER, parameter);
  }

  @Test
  void rejects_malformed_filters_on_image_and_similar_searches_too() {
    assertError(
        http.post("/api/search/image?k=0", "image/png", SOME_IMAGE),
        400,
        ErrorCodes.INVALID_PARAMETER,
        "k");
    assertError(
        http.get("/api/products/p1/similar?price_min=x"),
        400,
        ErrorCodes.INVALID_PARAMETER,
        "price_min");
  }

  @Test
  void unknown_product_is_404_on_every_product_route() {
    assertError(http.get("/api/products/nope"), 404, ErrorCodes.PRODUCT_NOT_FOUND, null);
    assertError(http.get("/api/products/nope/similar"), 404, ErrorCodes.PRODUCT_NOT_FOUND, null);
    assertError(http.get("/api/products/nope/thumbnail"), 404, ErrorCodes.PRODUCT_NOT_FOUND, null);
    assertError(
        http.get("/api/products/p1/thumbnail?image=3"), 404, ErrorCodes.PRODUCT_NOT_FOUND, null);
    assertError(http.get("/api/products/p1/images/0"), 404, ErrorCodes.PRODUCT_NOT_FOUND, null);
  }

  @Test
  void product_details_link_to_thumbnails_and_similar_products() {
    Reply reply = http.get("/api/products/p1");
    assertEquals(200, reply.status(), reply.toString());
    JsonNode body = reply.json();
    assertEquals("Red sneaker", body.get("title").asText());
    assertEquals("42", body.at("/attributes/size").asText());
    assertEquals("/api/products/p1/thumbnail", body.at("/images/0/thumbnail_url").asText());
    assertFalse(body.at("/images/0").has("original_url"));
    assertEquals("/api/products/p1/similar", body.get("similar_url").asText());
  }

  @Test
  void thumbnail_is_served_as_an_image() {
    Reply reply = http.get("/api/products/p1/thumbnail");
    assertEquals(200, reply.status());
    assertEquals("image/jpeg", reply.header("Content-Type"));
    assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, reply.body());
  }

  @Test
  void unknown_route_and_wrong_method_answer_in_the_error_shape() {
    assertError(http.get("/api/nothing-here"), 404, ErrorCodes.NOT_FOUND, null);
    Reply wrongMethod = http.delete("/api/search");
    assertError(wrongMethod, 405, ErrorCodes.METHOD_NOT_ALLOWED, null);
    assertTrue(wrongMethod.header("Allow").contains("GET"), wrongMethod.headers().toString());
  }

  @Test
  void headers_over_jettys_limit_answer_431_in_the_error_shape() {
    Reply reply =
        http.get("/health", "X-Padding", "a".repeat(SearchApi.MAX_REQUEST_HEADER_BYTES + 1));
    assertEquals(431, reply.status(), reply.toString());
    assertEquals(
        ErrorCodes.HEADERS_TOO_LARGE, reply.error().get("code").asText(), reply.toString());
    assertFalse(reply.error().get("request_id").asText().isBlank());
  }

  @Test
  void an_unexpected_failure_is_a_500_that_returns_the_logged_request_id() {
    Reply reply = http.get("/api/search?q=boom", "X-Request-Id", "trace-42");
    assertError(reply, 500, ErrorCodes.INTERNAL_ERROR, null);
    assertEquals("trace-42", reply.error().get("request_id").asText());
    assertTrue(reply.error().get("message").asText().contains("trace-42"));
    assertFalse(reply.text().contains("scripted failure"), "no internals leak: " + reply);
  }

  @Test
  void a_hostile_request_id_is_replaced_by_a_fresh_one() {
    Reply reply = http.get("/api/search?q=shoe", "X-Request-Id", "<script>" + "x".repeat(300));
    String id = reply.header("X-Request-Id");
    assertTrue(id.matches("[0-9a-f]{24}"), id);
  }

  @Test
  void a_full_model_queue_is_a_503_with_retry_after() {
    Reply reply = http.get("/api/search?q=busy");
    assertError(reply, 503, ErrorCodes.OVERLOADED, null);
    assertEquals("2", reply.header("Retry-After"));
  }

  @Test
  void image_search_accepts_multipart_raw_and_base64_json_uploads_alike() {
    Reply multipart =
        post(
            new Multipart().file("image", "q.png", "image/png", SOME_IMAGE),
            "/api/search/image?k=5");
    assertEquals(200, multipart.status(), multipart.toString());
    assertEquals("image", multipart.json().at("/query/type").asText());
    assertArrayEquals(SOME_IMAGE, lastImage());
    assertEquals(5, ((ImageSearch) service.lastRequest.get()).options().k());

    assertEquals(200, http.post("/api/search/image", "image/jpeg", SOME_IMAGE).status());
    assertArrayEquals(SOME_IMAGE, lastImage());

    String b64 = Base64.getEncoder().encodeToString(SOME_IMAGE);
    assertEquals(200, http.postJson("/api/search/image", Map.of("image_base64", b64)).status());
    assertArrayEquals(SOME_IMAGE, lastImage());

    Reply dataUrl =
        http.postJson("/api/search/image", Map.of("image_base64", "data:image/png;base64," + b64));
    assertEquals(200, dataUrl.status(), dataUrl.toString());
    assertArrayEquals(SOME_IMAGE, lastImage());
  }

  private byte[] lastImage() {
    return assertInstanceOf(ImageSearch.class, service.lastRequest.get()).image();
  }

  private Reply post(Multipart body, String path) {
    return http.post(path, body.contentType(), body.bytes());
  }

  @Test
  void rejects_an_upload_over_the_size_limit_with_413() {
    byte[] big = new byte[(int) MAX_IMAGE + 1];
    Reply raw = http.post("/api/search/image", "image/jpeg", big);
    assertError(raw, 413, ErrorCodes.PAYLOAD_TOO_LARGE, null);
    assertEquals("close", raw.header("Connection"), "the unread rest of the body is not reused");
    assertError(
        post(new Multipart().file("image", "big.jpg", "image/jpeg", big), "/api/search/image"),
        413,
        ErrorCodes.PAYLOAD_TOO_LARGE,
        null);
    assertError(
        http.postJson(
            "/api/search/image", Map.of("image_base64", Base64.getEncoder().encodeToString(big))),
        413,
        ErrorCodes.PAYLOAD_TOO_LARGE,
        null);
  }

  @Test
  void rejects_a_body_far_over_the_limit_before_reading_it() {
    byte[] huge =
        new byte[(int) (ApiSettings.defaults().withMaxImageBytes(MAX_IMAGE).maxBodyBytes() + 10)];
    assertError(
        http.post("/api/search/image", "image/jpeg", huge),
        413,
        ErrorCodes.PAYLOAD_TOO_LARGE,
        null);
  }

  @Test
  void rejects_uploads_in_an_unknown_form_with_a_message_saying_what_is_accepted() {
    Reply text =
        http.post("/api/search/image", "text/plain", "hello".getBytes(StandardCharsets.UTF_8));
    assertError(text, 415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE, null);
    assertTrue(text.error().get("message").asText().contains("image_base64"), text.toString());
    assertError(
        http.post("/api/search/image", null, SOME_IMAGE),
        415,
        ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
        null);
    assertError(
        post(
            new Multipart().file("picture", "q.png", "image/png", SOME_IMAGE), "/api/search/image"),
        400,
        ErrorCodes.MISSING_PARAMETER,
        "image");
    assertError(
        http.post("/api/search/image", "image/png", new byte[0]),
        400,
        ErrorCodes.EMPTY_IMAGE,
        null);
  }

  @Test
  void rejects_malformed_json_and_bad_base64_naming_the_field() {
    assertError(
        http.post(
            "/api/search/image", "application/json", "{not json".getBytes(StandardCharsets.UTF_8)),
        400,
        ErrorCodes.MALFORMED_BODY,
        null);
    assertError(
        http.postJson("/api/search/image", Map.of("image", "abc")),
        400,
        ErrorCodes.MALFORMED_BODY,
        null);
    assertError(
        http.postJson("/api/search/image", Map.of()),
        400,
        ErrorCodes.MISSING_PARAMETER,
        "image_base64");
    assertError(
        http.postJson("/api/search/image", Map.of("image_base64", "***not base64***")),
        400,
        ErrorCodes.INVALID_PARAMETER,
        "image_base64");
  }

  @Test
  void classify_takes_labels_from_multipart_or_json_and_applies_the_template() {
    Reply reply =
        post(
            new Multipart()
                .file("image", "cat.png", "image/png", SOME_IMAGE)
                .field("labels", "a cat")
                .field("labels", "a dog"),
            "/api/classify");
    assertEquals(200, reply.status(), reply.toString());
    ClassifyRequest request = assertInstanceOf(ClassifyRequest.class, service.lastRequest.get());
    assertEquals(List.of("a cat", "a dog"), request.labels());
    assertEquals(ClassifyRequest.DEFAULT_TEMPLATE, request.template());
    assertEquals("a photo of a a cat", reply.json().at("/labels/0/prompt").asText());

    Reply json =
        http.postJson(
            "/api/classify",
            Map.of(
                "image_base64", Base64.getEncoder().encodeToString(SOME_IMAGE),
                "labels", List.of("truck", "couch"),
                "template", "a picture of a {}"));
    assertEquals(200, json.status(), json.toString());
    assertEquals("a picture of a couch", json.json().at("/labels/1/prompt").asText());
  }

  @Test
  void classify_rejects_missing_labels_and_a_template_without_placeholder() {
    String b64 = Base64.getEncoder().encodeToString(SOME_IMAGE);
    assertError(
        http.postJson("/api/classify", Map.of("image_base64", b64)),
        400,
        ErrorCodes.MISSING_PARAMETER,
        "labels");
    assertError(
        http.postJson("/api/classify", Map.of("image_base64", b64, "labels", List.of("cat", " "))),
        400,
        ErrorCodes.INVALID_PARAMETER,
        "labels");
    assertError(
        http.postJson(
            "/api/classify",
            Map.of("image_base64", b64, "labels", List.of("cat"), "template", "a cat")),
        400,
        ErrorCodes.INVALID_PARAMETER,
        "template");
  }

  @Test
  void health_ready_metrics_and_openapi_answer() {
    assertEquals("ok", http.get("/health").json().get("status").asText());
    Reply ready = http.get("/ready");
    assertEquals(200, ready.status());
    assertEquals("fake-model", ready.json().get("model").asText());
    http.get("/api/products/p1");
    Reply metrics = http.get("/metrics");
    assertEquals(200, metrics.status());
    assertTrue(
        metrics.header("Content-Type").startsWith("text/plain"), metrics.headers().toString());
    assertTrue(
        metrics
            .text()
            .contains(
                "clipsearch_http_requests_total{method=\"GET\",route=\"/api/products/{id}\",status=\"200\"}"),
        metrics.text());
    assertTrue(
        metrics.text().contains("clipsearch_http_request_duration_seconds_bucket"), metrics.text());
    Reply openapi = http.get("/openapi.json");
    assertEquals(200, openapi.status());
    assertEquals("3.1.0", openapi.json().get("openapi").asText());
  }

  @Test
  void admin_routes_need_the_bearer_token() {
    byte[] body = "{\"title\":\"x\",\"images_base64\":[\"AAAA\"]}".getBytes(StandardCharsets.UTF_8);
    Reply none = http.put("/api/admin/products/a1", "application/json", body);
    assertError(none, 401, ErrorCodes.UNAUTHORIZED, null);
    assertTrue(none.header("WWW-Authenticate").startsWith("Bearer"));
    assertError(
        http.put(
            "/api/admin/products/a1", "application/json", body, "Authorization", "Bearer wrong"),
        401,
        ErrorCodes.UNAUTHORIZED,
        null);
    assertError(http.delete("/api/admin/products/a1"), 401, ErrorCodes.UNAUTHORIZED, null);
  }

  @Test
  void admin_upsert_creates_then_replaces_and_delete_removes() {
    String auth = "Bearer " + TOKEN;
    String json =
        "{\"title\":\"Green hat\",\"price\":12.5,\"tags\":[\"green\"],\"images_base64\":[\""
            + Base64.getEncoder().encodeToString(SOME_IMAGE)
            + "\"]}";
    Reply created =
        http.put(
            "/api/admin/products/h1",
            "application/json",
            json.getBytes(StandardCharsets.UTF_8),
            "Authorization",
            auth);
    assertEquals(201, created.status(), created.toString());
    assertEquals(1, created.json().get("images").asInt());
    assertEquals("Green hat", service.uploads.get("h1").fields().title());

    Multipart multipart =
        new Multipart()
            .field("product", "{\"title\":\"Green cap\"}")
            .file("image", "a.png", "image/png", SOME_IMAGE)
            .file("image", "b.png", "image/png", SOME_IMAGE);
    Reply replaced =
        http.put(
            "/api/admin/products/h1",
            multipart.contentType(),
            multipart.bytes(),
            "Authorization",
            auth);
    assertEquals(200, replaced.status(), replaced.toString());
    assertEquals(2, service.uploads.get("h1").images().size());

    assertEquals(204, http.delete("/api/admin/products/h1", "Authorization", auth).status());
    assertError(
        http.delete("/api/admin/products/h1", "Authorization", auth),
        404,
        ErrorCodes.PRODUCT_NOT_FOUND,
        null);
  }

  @Test
  void admin_upsert_rejects_a_product_without_images_or_with_bad_fields() {
    String auth = "Bearer " + TOKEN;
    assertError(
        http.put(
            "/api/admin/products/h2",
            "application/json",
            "{\"title\":\"x\"}".getBytes(StandardCharsets.UTF_8),
            "Authorization",
            auth),
        400,
        ErrorCodes.MISSING_PARAMETER,
        "image");
    assertError(
        http.put(
            "/api/admin/products/h2",
            "application/json",
            "{\"colour\":\"x\"}".getBytes(StandardCharsets.UTF_8),
            "Authorization",
            auth),
        400,
        ErrorCodes.MALFORMED_BODY,
        null);
  }

  @Test
  void the_search_page_is_served_at_the_root_from_the_classpath_and_api_errors_stay_json() {
    ApiSettings settings =
        new ApiSettings(MAX_IMAGE, null, ApiSettings.DEFAULT_MAX_LABELS, "/testweb");
    try (HttpHarness web =
        new HttpHarness(SearchApi.create(settings, service, null, new ServerMetrics(), 5_000))) {
      Reply page = web.get("/");
      assertEquals(200, page.status(), page.toString());
      assertTrue(page.text().contains("clipsearch test page"), page.text());
      assertEquals(200, web.get("/index.html").status());
      assertError(web.get("/api/nothing"), 404, ErrorCodes.NOT_FOUND, null);
    }
  }

  @Test
  void the_listener_holds_a_backlog_of_accept_queue_connections_not_jettys_default() {
    Javalin app =
        SearchApi.create(ApiSettings.defaults(), service, null, new ServerMetrics(), 5_000)
            .start("127.0.0.1", 0);
    try {
      List<Integer> queues = new ArrayList<>();
      for (Connector connector : app.jettyServer().server().getConnectors()) {
        queues.add(((ServerConnector) connector).getAcceptQueueSize());
      }
      assertEquals(List.of(SearchApi.ACCEPT_QUEUE), queues);
    } finally {
      app.stop();
    }
  }

  @Test
  void admin_routes_are_off_without_a_token() {
    try (HttpHarness closed =
        new HttpHarness(
            SearchApi.create(
                ApiSettings.defaults(),
                service,
                new AdminRoutes(service, MAX_IMAGE),
                new ServerMetrics(),
                5_000))) {
      Reply reply =
          closed.put(
              "/api/admin/products/x",
              "application/json",
              "{}".getBytes(StandardCharsets.UTF_8),
              "Authorization",
              "Bearer anything");
      assertError(reply, 404, ErrorCodes.ADMIN_DISABLED, null);
      assertTrue(reply.error().get("message").asText().contains("CLIPSEARCH_ADMIN_TOKEN"));
    }
  }
}
