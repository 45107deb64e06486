package dev.clipsearch.searcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.indexer.catalog.CatalogFormat;
import dev.clipsearch.indexer.cli.IndexCommand;
import dev.clipsearch.indexer.cli.IndexJob;
import dev.clipsearch.indexer.cli.StoreTarget;
import dev.clipsearch.indexer.solr.LocalSolrCloud;
import dev.clipsearch.indexer.solr.SolrNodes;
import dev.clipsearch.indexer.solr.SolrTestSupport;
import dev.clipsearch.indexer.testing.MixedCatalog;
import dev.clipsearch.indexer.testing.TcpProxy;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.testing.TestImages;
import dev.clipsearch.models.testing.TestModels;
import dev.clipsearch.searcher.server.SearchServer;
import dev.clipsearch.searcher.testing.HttpClientHarness;
import dev.clipsearch.searcher.testing.HttpClientHarness.Multipart;
import dev.clipsearch.searcher.testing.HttpClientHarness.Reply;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code clipsearch serve --solr} against a real two-node SolrCloud (one shard, two replicas),
 * beside {@code serve --index} on the same catalog: every route of docs/search-server.md answers
 * with the same status on both; with Solr unreachable (both nodes behind proxies the test takes
 * down) requests that need the store are 503 JSON and {@code /ready} is 503, and they answer 200
 * again when Solr returns; with one node killed by pid ({@code kill -9}), search keeps answering.
 * The node kill runs last.
 */
@Tag("solr")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeSolrTest {

  private static final String TOKEN = "test-admin-token";

  private Path tmp;
  private LocalSolrCloud cloud;
  private final List<TcpProxy> proxies = new ArrayList<>();
  private SearchServer embedded;
  private SearchServer solr;
  private HttpClientHarness embeddedHttp;
  private HttpClientHarness solrHttp;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    tmp = dir;
    cloud = SolrTestSupport.start(2, dir.resolve("solr"));
    MixedCatalog catalog = MixedCatalog.write(dir.resolve("catalog"), 6);
    Path model = TestModels.tiny(TestModels.Layout.HF);
    IndexJob job =
        IndexJob.defaults(
            catalog.catalog(), CatalogFormat.JSONL, dir.resolve("index"), model, Device.CPU);
    job = job.withIndexing(job.indexing().withBatchSize(4).withThreads(2, 2));
    index(job);
    index(job.withStore(new StoreTarget.Solr(SolrNodes.parse(cloud.solrUrls()), "shop", 1, 2)));

    StringBuilder urls = new StringBuilder();
    for (LocalSolrCloud.Node node : cloud.nodes()) {
      TcpProxy proxy = TcpProxy.start(node.port());
      proxies.add(proxy);
      urls.append(urls.isEmpty() ? "" : ",")
          .append("http://127.0.0.1:")
          .append(proxy.port())
          .append("/solr");
    }
    embedded = serve(dir, "--index", dir.resolve("index").toString(), "--model", model.toString());
    solr =
        serve(dir, "--solr", urls.toString(), "--collection", "shop", "--model", model.toString());
    embeddedHttp = new HttpClientHarness("http://127.0.0.1:" + embedded.port());
    solrHttp = new HttpClientHarness("http://127.0.0.1:" + solr.port());
  }

  private static void index(IndexJob job) throws InterruptedException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = IndexCommand.run(job, new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(0, exit, out + "\n" + err);
    assertTrue(out.toString().contains("6 added"), out + "\n" + err);
  }

  private static SearchServer serve(Path dir, String... store) throws Exception {
    ServeCommand command = new ServeCommand(Map.of(ServeCommand.ADMIN_TOKEN_VARIABLE, TOKEN), dir);
    List<String> args = new ArrayList<>(List.of(store));
    args.addAll(
        List.of(
            "--device", "cpu", "--port", "0", "--inference-threads", "1", "--stop-timeout", "5"));
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    return command.start();
  }

  @AfterAll
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {solr, embedded}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          // the next one still closes
        }
      }
    }
    proxies.forEach(TcpProxy::close);
    if (cloud != null) {
      cloud.close();
    }
  }

  /** One request of the route table, and the status both servers must answer it with. */
  private record Call(String name, int status, Function<HttpClientHarness, Reply> send) {}

  private static final String AUTH = "Authorization";

  private static List<Call> routes() {
    byte[] png = TestImages.png(3, 48, 48);
    String upload =
        "{\"title\":\"Uploaded hat\",\"brand\":\"Fixtures\",\"price\":3.5,\"images_base64\":[\""
            + Base64.getEncoder().encodeToString(png)
            + "\"]}";
    return List.of(
        new Call("health", 200, h -> h.get("/health")),
        new Call("ready", 200, h -> h.get("/ready")),
        new Call("metrics", 200, h -> h.get("/metrics")),
        new Call("openapi", 200, h -> h.get("/openapi.json")),
        new Call("hybrid search", 200, h -> h.get("/api/search?q=product")),
        new Call("vector search", 200, h -> h.get("/api/search?q=product&mode=vector")),
        new Call("lexical search", 200, h -> h.get("/api/search?q=product&mode=lexical")),
        new Call("filtered search", 200, h -> h.get("/api/search?q=product&brand=Brand1")),
        new Call("composed like", 200, h -> h.get("/api/search?q=red&like=g01")),
        new Call("unknown mode", 400, h -> h.get("/api/search?q=x&mode=psychic")),
        new Call("k out of range", 400, h -> h.get("/api/search?q=x&k=0")),
        new Call(
            "composed POST",
            200,
            h ->
                h.post(
                    "/api/search",
                    "application/json",
                    "{\"parts\":[{\"product\":\"g02\",\"weight\":1},{\"text\":\"red\",\"weight\":1}]}"
                        .getBytes(StandardCharsets.UTF_8))),
        new Call("image search", 200, h -> h.post("/api/search/image", "image/png", png)),
        new Call(
            "image search, not an image",
            415,
            h -> h.post("/api/search/image", "image/png", "not png".getBytes())),
        new Call("similar", 200, h -> h.get("/api/products/g01/similar")),
        new Call("similar, unknown", 404, h -> h.get("/api/products/nope/similar")),
        new Call(
            "classify",
            200,
            h ->
                h.post(
                    "/api/classify",
                    new Multipart()
                        .file("image", "a.png", "image/png", png)
                        .field("labels", "hat")
                        .field("labels", "mug"))),
        new Call(
            "detect",
            200,
            h ->
                h.post(
                    "/api/detect",
                    new Multipart()
                        .file("image", "a.png", "image/png", png)
                        .field("labels", "hat"))),
        new Call("product", 200, h -> h.get("/api/products/g01")),
        new Call("product, unknown", 404, h -> h.get("/api/products/nope")),
        new Call("thumbnail", 200, h -> h.get("/api/products/g01/thumbnail?image=0")),
        new Call(
            "thumbnail, no such image", 404, h -> h.get("/api/products/g01/thumbnail?image=7")),
        new Call("original, no images root", 404, h -> h.get("/api/products/g01/images/0")),
        new Call(
            "admin upsert without token",
            401,
            h -> h.put("/api/admin/products/new1", "application/json", upload.getBytes())),
        new Call(
            "admin upsert",
            201,
            h ->
                h.put(
                    "/api/admin/products/new1",
                    "application/json",
                    upload.getBytes(StandardCharsets.UTF_8),
                    AUTH,
                    "Bearer " + TOKEN)),
        new Call("uploaded product", 200, h -> h.get("/api/products/new1")),
        new Call(
            "admin delete",
            204,
            h -> h.delete("/api/admin/products/new1", AUTH, "Bearer " + TOKEN)),
        new Call(
            "admin delete again",
            404,
            h -> h.delete("/api/admin/products/new1", AUTH, "Bearer " + TOKEN)),
        new Call(
            "index switch without token",
            401,
            h ->
                h.post(
                    "/api/admin/index",
                    "application/json",
                    "{\"index\":\"elsewhere\"}".getBytes(StandardCharsets.UTF_8))),
        new Call(
            "index switch, body not JSON",
            400,
            h ->
                h.post(
                    "/api/admin/index",
                    "application/json",
                    "not json".getBytes(StandardCharsets.UTF_8),
                    AUTH,
                    "Bearer " + TOKEN)),
        new Call(
            "index switch, no such index",
            422,
            h ->
                h.post(
                    "/api/admin/index",
                    "application/json",
                    "{\"index\":\"no-such-index-dir\",\"model\":\"no-such-model\"}"
                        .getBytes(StandardCharsets.UTF_8),
                    AUTH,
                    "Bearer " + TOKEN)),
        new Call("no such route", 404, h -> h.get("/api/nope")));
  }

  @Test
  @Order(1)
  void every_route_answers_with_the_same_status_as_the_embedded_server() {
    List<String> wrong = new ArrayList<>();
    for (Call call : routes()) {
      Reply onIndex = call.send().apply(embeddedHttp);
      Reply onSolr = call.send().apply(solrHttp);
      if (onIndex.status() != call.status() || onSolr.status() != call.status()) {
        wrong.add(
            call.name()
                + ": want "
                + call.status()
                + ", embedded "
                + brief(onIndex)
                + ", solr "
                + brief(onSolr));
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  @Test
  @Order(2)
  void both_stores_rank_the_same_products_for_a_lexical_query() {
    assertEquals(
        ids(embeddedHttp.get("/api/search?q=product+g03&mode=lexical&k=5")),
        ids(solrHttp.get("/api/search?q=product+g03&mode=lexical&k=5")));
  }

  @Test
  @Order(2)
  void both_stores_show_zero_shot_attributes_and_keep_them_on_an_upsert_without_any() {
    String image = Base64.getEncoder().encodeToString(TestImages.png(5, 48, 48));
    for (HttpClientHarness http : List.of(embeddedHttp, solrHttp)) {
      Map<String, Object> product = new LinkedHashMap<>();
      product.put("title", "Tagged lamp");
      product.put("facet_attributes", Map.of("color", "red"));
      product.put("images_base64", List.of(image));
      String where = http == solrHttp ? "solr" : "embedded";
      Reply created = http.putJson("/api/admin/products/tagged1", product, AUTH, "Bearer " + TOKEN);
      assertEquals(201, created.status(), where + ": " + created);
      assertEquals("red", colour(http), where);
      assertTrue(
          ids(http.get("/api/search?q=lamp&mode=vector&attr.color=red")).contains("tagged1"),
          where);

      product.remove("facet_attributes");
      product.put("title", "Tagged lamp, edited");
      Reply edited = http.putJson("/api/admin/products/tagged1", product, AUTH, "Bearer " + TOKEN);
      assertEquals(200, edited.status(), where + ": " + edited);
      assertEquals("red", colour(http), where + ": an upsert without attributes keeps them");
      assertEquals(
          204, http.delete("/api/admin/products/tagged1", AUTH, "Bearer " + TOKEN).status());
    }
  }

  private static String colour(HttpClientHarness http) {
    Reply product = http.get("/api/products/tagged1");
    assertEquals(200, product.status(), product.toString());
    return product.json().path("facet_attributes").path("color").asText(null);
  }

  @Test
  @Order(3)
  void a_model_that_did_not_build_the_collection_is_refused_naming_both() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ServeCommand(Map.of(), tmp));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit =
        cli.execute(
            "--solr",
            cloud.solrUrls(),
            "--collection",
            "shop",
            "--model",
            TestModels.tiny(TestModels.Layout.OPEN_CLIP).toString(),
            "--device",
            "cpu",
            "--port",
            "0");
    assertEquals(1, exit, out + "\n" + err);
    assertTrue(err.toString().contains("was built with model"), err.toString());
    assertTrue(err.toString().contains("shop"), err.toString());
  }

  @Test
  @Order(4)
  void solr_unreachable_is_503_json_and_not_ready_then_200_when_it_returns() throws Exception {
    proxies.forEach(TcpProxy::pause);
    try {
      for (String path :
          List.of("/api/search?q=hat", "/api/products/g01", "/api/products/g01/similar")) {
        Reply reply = solrHttp.get(path);
        assertEquals(503, reply.status(), path + ": " + reply);
        assertEquals("unavailable", reply.error().get("code").asText(), reply.toString());
      }
      Reply ready = solrHttp.get("/ready");
      assertEquals(503, ready.status(), ready.toString());
      assertEquals("unavailable", ready.error().get("code").asText(), ready.toString());
      assertEquals(200, solrHttp.get("/health").status());
      assertEquals(200, solrHttp.get("/metrics").status());
    } finally {
      for (TcpProxy proxy : proxies) {
        proxy.resume();
      }
    }
    assertEquals(200, solrHttp.get("/ready").status());
    Reply search = solrHttp.get("/api/search?q=hat");
    assertEquals(200, search.status(), search.toString());
  }

  @Test
  @Order(5)
  void with_two_replicas_a_node_killed_by_pid_leaves_search_answering() throws Exception {
    List<String> before = ids(solrHttp.get("/api/search?q=product&mode=vector&k=6"));
    assertEquals(6, before.size(), before.toString());

    LocalSolrCloud.Node first = cloud.nodes().get(0);
    ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();
    first.process().waitFor(30, TimeUnit.SECONDS);
    assertFalse(first.process().isAlive(), "node 1 killed");

    for (int i = 0; i < 5; i++) {
      Reply reply = solrHttp.get("/api/search?q=product&mode=vector&k=6");
      assertEquals(200, reply.status(), "query " + i + " after the kill: " + reply);
      assertEquals(before, ids(reply), "query " + i);
    }
    assertEquals(200, solrHttp.get("/api/products/g01").status());
  }

  /** The status and the start of a JSON body, or the size of any other. */
  private static String brief(Reply reply) {
    String type = String.valueOf(reply.header("Content-Type"));
    String body =
        type.contains("json")
            ? reply.text().substring(0, Math.min(300, reply.text().length()))
            : reply.body().length + " bytes of " + type;
    return reply.status() + " " + body;
  }

  private static List<String> ids(Reply reply) {
    assertEquals(200, reply.status(), reply.toString());
    List<String> ids = new ArrayList<>();
    reply.json().path("hits").forEach(hit -> ids.add(hit.path("id").asText()));
    return ids;
  }
}
