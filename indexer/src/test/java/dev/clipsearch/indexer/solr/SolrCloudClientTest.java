package dev.clipsearch.indexer.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.indexer.index.IndexSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

/**
 * The Solr client against a real two-node SolrCloud (ZooKeeper and two Solr 9 processes, started
 * once for the class): config set upload, collection creation with the model recorded, nested
 * product/image documents, filtered knn, facets, model mismatch, bad URLs, and a node killed by
 * pid. The node kill runs last.
 */
@Tag("solr")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SolrCloudClientTest {

  private static final SolrModelIdentity MODEL =
      new SolrModelIdentity("test-clip-4d", 4, "size=224;mean=0.5,0.5,0.5;std=0.5,0.5,0.5");

  private LocalSolrCloud cloud;
  private SolrCloudClient client;

  private static final Map<String, String> TITLES =
      Map.of(
          "p1", "Red hat",
          "p2", "Café mug",
          "p3", "Wool scarf",
          "p4", "Straw hat");

  @BeforeAll
  void startCluster(@TempDir Path tmp) throws Exception {
    long start = System.nanoTime();
    cloud = SolrTestSupport.start(2, tmp.resolve("solr"));
    System.out.printf(
        "SolrCloudClientTest: 2 Solr nodes + ZooKeeper live after %.1f s%n",
        (System.nanoTime() - start) / 1e9);
    client = new SolrCloudClient(SolrNodes.parse(cloud.solrUrls()));
  }

  @AfterAll
  void stopCluster() {
    if (client != null) {
      client.close();
    }
    if (cloud != null) {
      cloud.close();
    }
  }

  @Test
  @Order(1)
  void cluster_status_lists_both_nodes() throws Exception {
    List<String> live = client.liveNodes();
    assertEquals(2, live.size(), live.toString());
    for (LocalSolrCloud.Node n : cloud.nodes()) {
      assertTrue(live.contains("127.0.0.1:" + n.port() + "_solr"), live.toString());
    }
  }

  @Test
  @Order(2)
  void a_created_collection_answers_filtered_knn_with_the_product_of_the_nearest_image()
      throws Exception {
    SolrCollectionSpec spec = SolrCollectionSpec.withDefaults("products", 2, 2, MODEL);
    assertTrue(client.ensureCollection(spec), "created");
    assertFalse(client.ensureCollection(spec), "second call finds it");
    assertEquals("test-clip-4d", client.userProperties("products").get("clipsearch.model.id"));

    String v = spec.vectorField();
    client.add(
        "products",
        List.of(
            // p1's second image is the nearest to e0, its first points elsewhere: best image wins.
            product("p1", "acme", 10, List.of("red"), v, new float[] {0, 0, 1, 0}, unit(1, 0.1f)),
            product("p2", "acme", 20, List.of("blue"), v, unit(1, 0.3f)),
            product("p3", "other", 30, List.of("red"), v, new float[] {1, 0, 0, 0}),
            product("p4", "acme", 40, List.of("red"), v, new float[] {0, 1, 0, 0})));
    client.commit("products");
    assertEquals(4, client.countProducts("products"));

    float[] query = {1, 0, 0, 0};
    List<SolrCloudClient.Hit> all = client.knn("products", v, query, 3, 10, List.of());
    assertEquals(List.of("p3", "p1", "p2"), ids(all), all.toString());
    assertTrue(all.get(0).score() > all.get(1).score(), all.toString());

    List<SolrCloudClient.Hit> acme =
        client.knn(
            "products", v, query, 2, 10, List.of(SolrCloudClient.termFilter("brand", "acme")));
    assertEquals(List.of("p1", "p2"), ids(acme), acme.toString());

    List<SolrCloudClient.Hit> acmeOver15 =
        client.knn(
            "products",
            v,
            query,
            3,
            10,
            List.of(SolrCloudClient.termFilter("brand", "acme"), "price:[15 TO *]"));
    assertEquals(List.of("p2", "p4"), ids(acmeOver15), acmeOver15.toString());

    List<SolrCloudClient.Hit> none =
        client.knn(
            "products", v, query, 3, 10, List.of(SolrCloudClient.termFilter("brand", "nobody")));
    assertTrue(none.isEmpty(), none.toString());

    Map<String, List<SolrCloudClient.Bucket>> facets =
        client.facets("products", List.of("price:[15 TO *]"), List.of("brand", "tags"), 10);
    assertEquals(
        List.of(new SolrCloudClient.Bucket("acme", 2), new SolrCloudClient.Bucket("other", 1)),
        facets.get("brand"));
    assertEquals(
        List.of(new SolrCloudClient.Bucket("red", 2), new SolrCloudClient.Bucket("blue", 1)),
        facets.get("tags"));

    // BM25 over the product text, with the embedded index's analysis (ASCII folding).
    assertEquals(List.of("p2"), ids(client.lexical("products", "CAFE", 5, List.of())));
    List<SolrCloudClient.Hit> hats = client.lexical("products", "straw hat", 5, List.of());
    assertEquals(List.of("p4", "p1"), ids(hats), hats.toString());
    assertEquals(
        List.of("p1"),
        ids(
            client.lexical(
                "products",
                "straw hat",
                5,
                List.of(SolrCloudClient.termFilter("brand", "acme"), "price:[* TO 15]"))));

    client.deleteProducts("products", List.of("p3"));
    client.commit("products");
    assertEquals(3, client.countProducts("products"));
    assertEquals(
        List.of("p1", "p2", "p4"), ids(client.knn("products", v, query, 5, 20, List.of())));
  }

  @Test
  @Order(3)
  void a_collection_of_another_model_is_refused_naming_both_models() throws Exception {
    SolrModelIdentity other = new SolrModelIdentity("other-clip", 4, MODEL.preprocess());
    SolrModelMismatchException e =
        assertThrows(
            SolrModelMismatchException.class,
            () ->
                client.ensureCollection(SolrCollectionSpec.withDefaults("products", 2, 2, other)));
    assertTrue(e.getMessage().contains("'test-clip-4d'"), e.getMessage());
    assertTrue(e.getMessage().contains("'other-clip'"), e.getMessage());
  }

  @Test
  @Order(4)
  void unreachable_and_non_solr_urls_give_errors_naming_the_url() throws Exception {
    int dead = SolrTestSupport.freePortRange(1);
    String deadUrl = "http://127.0.0.1:" + dead + "/solr";
    try (SolrCloudClient bad = new SolrCloudClient(SolrNodes.parse(deadUrl))) {
      SolrUnavailableException e = assertThrows(SolrUnavailableException.class, bad::liveNodes);
      assertTrue(e.getMessage().contains(deadUrl), e.getMessage());
    }
    String noContext = "http://127.0.0.1:" + cloud.nodes().get(0).port() + "/nosuch";
    try (SolrCloudClient wrong = new SolrCloudClient(SolrNodes.parse(noContext))) {
      SolrException e = assertThrows(SolrException.class, wrong::liveNodes);
      assertEquals(404, e.status(), e.getMessage());
      assertTrue(e.getMessage().contains(noContext), e.getMessage());
    }
    // A dead node first in the list: the client fails over to the live one.
    try (SolrCloudClient failover =
        new SolrCloudClient(SolrNodes.parse(deadUrl + "," + cloud.solrUrls()))) {
      assertEquals(2, failover.liveNodes().size());
    }
  }

  @Test
  @Order(5)
  void with_two_replicas_a_node_killed_by_pid_leaves_every_product_answering() throws Exception {
    SolrCollectionSpec spec = SolrCollectionSpec.withDefaults("products", 2, 2, MODEL);
    client.ensureCollection(spec);
    float[] query = {1, 0, 0, 0};
    List<String> before = ids(client.knn("products", spec.vectorField(), query, 5, 20, List.of()));

    LocalSolrCloud.Node first = cloud.nodes().get(0);
    ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();
    first.process().waitFor(30, TimeUnit.SECONDS);
    assertFalse(first.process().isAlive(), "node 1 killed");

    // The client prefers node 1; it must fail over, and node 2 holds a replica of every shard.
    try (SolrCloudClient survivor =
        new SolrCloudClient(
            SolrNodes.parse(cloud.solrUrls()), Duration.ofSeconds(2), Duration.ofSeconds(60))) {
      assertEquals(3, survivor.countProducts("products"));
      assertEquals(
          before, ids(survivor.knn("products", spec.vectorField(), query, 5, 20, List.of())));
    }
  }

  private static Map<String, Object> product(
      String id, String brand, double price, List<String> tags, String field, float[]... vectors) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put(IndexSchema.ID, id);
    doc.put(IndexSchema.KIND, IndexSchema.KIND_PRODUCT);
    doc.put(IndexSchema.TITLE, TITLES.get(id));
    doc.put(IndexSchema.BRAND, brand);
    doc.put(IndexSchema.PRICE, price);
    doc.put(IndexSchema.TAGS, tags);
    doc.put(IndexSchema.PRODUCT_JSON, "{\"id\":\"" + id + "\"}");
    List<Map<String, Object>> images = new ArrayList<>();
    for (int i = 0; i < vectors.length; i++) {
      Map<String, Object> image = new LinkedHashMap<>();
      image.put(IndexSchema.ID, id + "/" + i);
      image.put(IndexSchema.KIND, IndexSchema.KIND_IMAGE);
      image.put(IndexSchema.IMAGE_INDEX, i);
      image.put(field, vectors[i]);
      images.add(image);
    }
    doc.put(SolrConfigSet.IMAGES, images);
    return doc;
  }

  /** A unit vector mostly along the first axis, tilted by {@code tilt} towards the second. */
  private static float[] unit(float x, float tilt) {
    float norm = (float) Math.sqrt(x * x + tilt * tilt);
    return new float[] {x / norm, tilt / norm, 0, 0};
  }

  private static List<String> ids(List<SolrCloudClient.Hit> hits) {
    return hits.stream().map(SolrCloudClient.Hit::id).toList();
  }
}
