package dev.clipsearch.indexer.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.clipsearch.indexer.store.StoredProduct;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SolrSnapshot#find} batches the ids that threads ask for while a lookup is in flight into
 * one {@code {!terms}} request, against a stand-in for Solr's {@code /select} (a local HTTP server
 * that holds the first request until the others are queued, so the batching is deterministic).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SolrSnapshotBatchingTest {

  /** The products the stand-in knows. */
  private static final Set<String> STORED = Set.of("p1", "p2", "p3", "p4", "p5", "p6", "p7");

  private HttpServer server;
  private SolrCloudClient client;
  private final List<List<String>> requests = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch firstArrived = new CountDownLatch(1);
  private final CountDownLatch releaseFirst = new CountDownLatch(1);
  private volatile boolean failing;
  private ExecutorService threads;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/solr/c/select", this::select);
    server.start();
    client =
        new SolrCloudClient(
            SolrNodes.parse("http://127.0.0.1:" + server.getAddress().getPort() + "/solr"));
    threads = Executors.newFixedThreadPool(8);
  }

  @AfterEach
  void stop() {
    releaseFirst.countDown();
    threads.shutdownNow();
    client.close();
    server.stop(0);
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }

  /** Answers a {@code {!terms f=id}} lookup with the stored products among its ids. */
  private void select(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String q = null;
    for (String pair : body.split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv[0].equals("q")) {
        q = URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
      }
    }
    assertNotNull(q, body);
    List<String> ids = Arrays.asList(q.substring(q.indexOf('}') + 1).split("\u001f"));
    requests.add(ids);
    if (requests.size() == 1) {
      firstArrived.countDown();
      try {
        releaseFirst.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    StringBuilder docs = new StringBuilder();
    for (String id : ids) {
      if (STORED.contains(id)) {
        docs.append(docs.isEmpty() ? "" : ",")
            .append("{\"id\":\"")
            .append(id)
            .append("\",\"sync_key\":\"00ff\",\"failed_images\":0,\"content_hash\":\"h-")
            .append(id)
            .append("\"}");
      }
    }
    byte[] answer =
        (failing
                ? "{\"error\":{\"msg\":\"stand-in failure\",\"code\":500}}"
                : "{\"responseHeader\":{\"status\":0},\"response\":{\"docs\":[" + docs + "]}}")
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(failing ? 500 : 200, answer.length);
    exchange.getResponseBody().write(answer);
    exchange.close();
  }

  /** Starts {@code find(id)} for each id on its own thread, once the first lookup is held. */
  private List<Future<StoredProduct>> findWhileTheFirstIsHeld(SolrSnapshot snapshot, String... ids)
      throws Exception {
    List<Future<StoredProduct>> out = new ArrayList<>();
    out.add(threads.submit(() -> snapshot.find(ids[0])));
    assertTrue(firstArrived.await(30, TimeUnit.SECONDS), "the first lookup reached the stand-in");
    for (int i = 1; i < ids.length; i++) {
      String id = ids[i];
      out.add(threads.submit(() -> snapshot.find(id)));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (snapshot.waitingLookups() < ids.length - 1) {
      assertTrue(System.nanoTime() < deadline, "lookups queued: " + snapshot.waitingLookups());
      Thread.sleep(5);
    }
    releaseFirst.countDown();
    return out;
  }

  @Test
  void lookups_asked_while_one_is_in_flight_go_together_in_the_next_request() throws Exception {
    SolrSnapshot snapshot = new SolrSnapshot(client, "c");
    List<Future<StoredProduct>> found =
        findWhileTheFirstIsHeld(snapshot, "p1", "p2", "p3", "p4", "p5", "p6", "p7", "nope");

    assertEquals("p1", found.get(0).get().id());
    for (int i = 1; i < 7; i++) {
      StoredProduct product = found.get(i).get();
      assertEquals("p" + (i + 1), product.id());
      assertEquals("h-p" + (i + 1), product.contentHash());
    }
    assertNull(found.get(7).get(), "an id Solr does not return is not found");
    assertEquals(2, requests.size(), requests.toString());
    assertEquals(List.of("p1"), requests.get(0));
    assertEquals(
        new TreeSet<>(List.of("p2", "p3", "p4", "p5", "p6", "p7", "nope")),
        new TreeSet<>(requests.get(1)));

    // a lone caller sends its own request at once
    assertEquals("p3", snapshot.find("p3").id());
    assertEquals(List.of("p3"), requests.get(2));
  }

  @Test
  void a_failed_request_fails_every_lookup_in_it_and_the_next_ones_go_on() throws Exception {
    SolrSnapshot snapshot = new SolrSnapshot(client, "c");
    failing = true;
    List<Future<StoredProduct>> found = findWhileTheFirstIsHeld(snapshot, "p1", "p2", "p3");
    for (Future<StoredProduct> f : found) {
      Exception e = assertThrows(Exception.class, f::get);
      assertTrue(e.getCause() instanceof SolrException, e.toString());
      assertTrue(e.getCause().getMessage().contains("stand-in failure"), e.toString());
    }
    failing = false;
    assertEquals("p2", snapshot.find("p2").id());
    assertEquals(Map.of(), snapshot.find("p2").facetAttributes());
  }
}
