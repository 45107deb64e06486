package dev.clipsearch.searcher.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.searcher.metrics.ServerMetrics;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.javalin.router.ParsedEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@code /openapi.json} describes exactly the routes the app serves, and its references hold. */
class OpenApiDocumentTest {

  private static final Set<HandlerType> METHODS =
      Set.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.DELETE);

  private static JsonNode document() throws IOException {
    try (InputStream in = SearchApi.class.getResourceAsStream(SearchApi.OPENAPI_RESOURCE)) {
      assertNotNull(in, "the OpenAPI document is on the classpath");
      return new ObjectMapper().readTree(in);
    }
  }

  private static Set<String> routes() {
    FakeSearchService service = new FakeSearchService();
    Javalin app =
        SearchApi.create(
            ApiSettings.defaults(),
            service,
            new AdminRoutes(service, 1024),
            new ServerMetrics(),
            1);
    Set<String> routes = new TreeSet<>();
    for (ParsedEndpoint parsed : app.unsafe.internalRouter.allHttpHandlers()) {
      if (METHODS.contains(parsed.endpoint.method)) {
        routes.add(
            parsed.endpoint.method.name().toLowerCase(Locale.ROOT) + " " + parsed.endpoint.path);
      }
    }
    return routes;
  }

  @Test
  void every_route_is_documented_and_every_documented_operation_is_a_route() throws IOException {
    Set<String> documented = new TreeSet<>();
    JsonNode paths = document().get("paths");
    for (Iterator<String> p = paths.fieldNames(); p.hasNext(); ) {
      String path = p.next();
      for (Iterator<String> m = paths.get(path).fieldNames(); m.hasNext(); ) {
        documented.add(m.next() + " " + path);
      }
    }
    assertEquals(routes(), documented);
  }

  @Test
  void every_search_parameter_is_documented_on_every_search_route() throws IOException {
    JsonNode doc = document();
    List<String> filters =
        List.of(
            "category",
            "brand",
            "price_min",
            "price_max",
            "tags",
            "attr.{name}",
            "min_score",
            "facets",
            "k",
            "offset");
    for (String route : List.of("/api/search", "/api/search/image", "/api/products/{id}/similar")) {
      Set<String> names = new TreeSet<>();
      for (JsonNode param :
          doc.at("/paths/" + route.replace("/", "~1")).elements().next().get("parameters")) {
        String ref = param.get("$ref").asText();
        names.add(doc.at(ref.substring(1)).get("name").asText());
      }
      assertTrue(names.containsAll(filters), route + " documents " + names);
    }
  }

  @Test
  void every_reference_resolves() throws IOException {
    JsonNode doc = document();
    List<String> broken = new ArrayList<>();
    collectBrokenRefs(doc, doc, broken);
    assertTrue(broken.isEmpty(), "unresolved: " + broken);
    assertEquals("3.1.0", doc.get("openapi").asText());
  }

  private static void collectBrokenRefs(JsonNode root, JsonNode node, List<String> broken) {
    if (node.isObject()) {
      JsonNode ref = node.get("$ref");
      if (ref != null && root.at(ref.asText().substring(1)).isMissingNode()) {
        broken.add(ref.asText());
      }
      node.elements().forEachRemaining(child -> collectBrokenRefs(root, child, broken));
    } else if (node.isArray()) {
      node.elements().forEachRemaining(child -> collectBrokenRefs(root, child, broken));
    }
  }
}
