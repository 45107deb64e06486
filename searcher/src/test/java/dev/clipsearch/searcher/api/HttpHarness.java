package dev.clipsearch.searcher.api;

import dev.clipsearch.searcher.testing.HttpClientHarness;
import io.javalin.Javalin;

/** An app started on a free loopback port, with a client for it. Closing it stops the app. */
final class HttpHarness extends HttpClientHarness implements AutoCloseable {

  private final Javalin app;

  HttpHarness(Javalin app) {
    this(app.start("127.0.0.1", 0), true);
  }

  private HttpHarness(Javalin started, boolean unused) {
    super("http://127.0.0.1:" + started.port());
    this.app = started;
  }

  @Override
  public void close() {
    app.stop();
  }
}
