package dev.clipsearch.searcher.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.testing.FakeClipModel;
import dev.clipsearch.searcher.api.ApiSettings;
import dev.clipsearch.searcher.encode.EncoderSettings;
import dev.clipsearch.searcher.search.SearchSettings;
import dev.clipsearch.searcher.testing.FakeImageProcessor;
import dev.clipsearch.searcher.testing.HttpClientHarness;
import dev.clipsearch.searcher.testing.HttpClientHarness.Reply;
import dev.clipsearch.searcher.testing.TestCatalog;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Stopping the server lets a request that is being answered finish, and takes no new ones. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GracefulShutdownTest {

  @TempDir Path dir;

  @Test
  void an_in_flight_request_finishes_while_the_server_stops() throws Exception {
    FakeClipModel model = new FakeClipModel();
    TestCatalog.write(dir.resolve("index"), model, TestCatalog.SHOP);
    ServerConfig config =
        new ServerConfig(
            dir.resolve("index"),
            "fake",
            "127.0.0.1",
            0,
            "cpu",
            ApiSettings.defaults(),
            EncoderSettings.defaults(1),
            SearchSettings.defaults(),
            40_000_000,
            Duration.ofSeconds(30));
    SearchServer server =
        SearchServer.start(
            config,
            model,
            new FakeImageProcessor(1 << 20, false),
            new FakeImageProcessor(1 << 20, true));
    int port = server.port();
    HttpClientHarness http = new HttpClientHarness("http://127.0.0.1:" + port);
    model.closeGate();
    try {
      CompletableFuture<Reply> inFlight =
          CompletableFuture.supplyAsync(() -> http.get("/api/search?q=red&mode=vector"));
      assertTrue(model.awaitEntered(30), "the request reached the model");
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
      // Wait until the listener is closed: new connections are refused from then on.
      boolean refused = false;
      for (int i = 0; i < 3_000 && !refused; i++) {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
          Thread.sleep(10);
        } catch (IOException e) {
          refused = true;
        }
      }
      assertTrue(refused, "the stopping server refuses new connections");
      model.open();
      Reply reply = inFlight.get(30, TimeUnit.SECONDS);
      assertEquals(200, reply.status(), reply.toString());
      assertEquals("p-red-hat", reply.json().at("/hits/0/id").asText());
      stopping.get(30, TimeUnit.SECONDS);
    } finally {
      model.open();
    }
  }
}
