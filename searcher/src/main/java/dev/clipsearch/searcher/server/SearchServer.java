package dev.clipsearch.searcher.server;

import dev.clipsearch.indexer.store.StoreSizes;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.detect.Detector;
import dev.clipsearch.models.image.ImageProcessor;
import dev.clipsearch.searcher.api.AdminRoutes;
import dev.clipsearch.searcher.api.SearchApi;
import dev.clipsearch.searcher.metrics.ServerMetrics;
import dev.clipsearch.searcher.service.IndexSwitchException;
import dev.clipsearch.searcher.service.IndexSwitchResult;
import dev.clipsearch.searcher.service.IndexTarget;
import dev.clipsearch.searcher.service.SearchService;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running search server: the store (the embedded index), the query encoder, the service and the
 * HTTP API, wired explicitly from a {@link ServerConfig}. The model and its image decoding come
 * from a {@link ModelOpener} (the command line's, or a test's); the server closes the models it
 * opened.
 *
 * <p>The index and its model form one {@link Generation}; {@link #switchTo} (the admin route {@code
 * POST /api/admin/index}, or SIGHUP through the command line) opens and warms another and replaces
 * the current one atomically, without failing a request. Each generation answers {@code
 * /api/detect} with its own CLIP-region detector over its own model, unless an OWL-ViT detector
 * (independent of the CLIP model) was given: that one serves every generation and closes with the
 * server.
 *
 * <p>{@link #close()} shuts down gracefully: the listener stops accepting, in-flight requests
 * finish (up to the configured stop timeout), then the inference pool drains and the index closes.
 */
public final class SearchServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SearchServer.class);

  private final ServerConfig config;
  private final Generations generations;
  private final LiveService service;
  private final Javalin app;
  private final Detector detector;

  private SearchServer(
      ServerConfig config,
      Generations generations,
      LiveService service,
      Javalin app,
      Detector detector) {
    this.config = config;
    this.generations = generations;
    this.service = service;
    this.app = app;
    this.detector = detector;
  }

  /**
   * Serves one fixed model: opens the index, checks that {@code model} built it, and starts
   * listening. Such a server loads no other model: a switch answers {@code model_unusable} (start
   * it with a {@link ModelOpener} to switch).
   *
   * @param queryImages decodes query images (no thumbnails)
   * @param catalogImages decodes admin uploads (with thumbnails)
   * @throws dev.clipsearch.indexer.index.ModelMismatchException when the index was built by another
   *     model (the message names both)
   * @throws dev.clipsearch.indexer.index.IndexOpenException when there is no index, or another
   *     process writes to it while admin routes are on
   */
  public static SearchServer start(
      ServerConfig config,
      ClipModel model,
      ImageProcessor queryImages,
      ImageProcessor catalogImages)
      throws IOException {
    return start(config, model, queryImages, catalogImages, null);
  }

  /**
   * As {@link #start(ServerConfig, ClipModel, ImageProcessor, ImageProcessor)}, with the detector
   * that answers {@code /api/detect}: an OWL-ViT model ({@code serve --detector DIR}), or {@code
   * null} for CLIP regions over the serving model. The server closes it when it stops; when
   * starting fails, closing it is the caller's business.
   */
  public static SearchServer start(
      ServerConfig config,
      ClipModel model,
      ImageProcessor queryImages,
      ImageProcessor catalogImages,
      Detector detector)
      throws IOException {
    return start(
        config,
        target -> {
          throw new IllegalArgumentException(
              "this server was started with one fixed model and cannot load '"
                  + target.model()
                  + "'");
        },
        new ModelOpener.Opened(model, queryImages, catalogImages),
        detector,
        StoreOpener.EMBEDDED);
  }

  /**
   * Opens the index and model {@code config} names through {@code opener}, checks that the model
   * built the index, and starts listening; switches load their models through {@code opener} too.
   * {@code /api/detect} runs CLIP regions over the current generation's model.
   *
   * @throws dev.clipsearch.indexer.index.ModelMismatchException when the index was built by another
   *     model (the message names both)
   * @throws dev.clipsearch.indexer.index.IndexOpenException when there is no index, or another
   *     process writes to it while admin routes are on
   */
  public static SearchServer start(ServerConfig config, ModelOpener opener) throws IOException {
    return start(config, opener, null, null, StoreOpener.EMBEDDED);
  }

  /**
   * As {@link #start(ServerConfig, ModelOpener)}, with {@code detector} (an OWL-ViT model,
   * independent of the CLIP model) answering {@code /api/detect} in every generation, or CLIP
   * regions over each generation's model if {@code null}. The server closes the detector when it
   * stops; when starting fails, closing it is the caller's business.
   */
  public static SearchServer start(ServerConfig config, ModelOpener opener, Detector detector)
      throws IOException {
    return start(config, opener, null, detector, StoreOpener.EMBEDDED);
  }

  /**
   * As {@link #start(ServerConfig, ModelOpener, Detector)}, with the stores opened by {@code
   * stores} instead of the embedded index of {@link ServerConfig#indexDir()} (a SolrCloud
   * collection: {@code serve --solr}).
   */
  public static SearchServer start(
      ServerConfig config, ModelOpener opener, Detector detector, StoreOpener stores)
      throws IOException {
    return start(config, opener, null, detector, stores);
  }

  private static SearchServer start(
      ServerConfig config,
      ModelOpener opener,
      ModelOpener.Opened first,
      Detector detector,
      StoreOpener stores)
      throws IOException {
    ServerMetrics metrics = new ServerMetrics();
    ModelOpener firstOpener = first == null ? opener : new FirstThen(first, opener);
    Generations generations = Generations.open(firstOpener, config, metrics, detector, stores);
    try {
      LiveService service = new LiveService(generations);
      registerStoreGauges(metrics, generations);
      AdminRoutes admin =
          config.adminEnabled()
              ? new AdminRoutes(service, generations, config.api().maxImageBytes())
              : null;
      Javalin app =
          SearchApi.create(
              config.api(), service, service, admin, metrics, config.stopTimeout().toMillis());
      app.start(config.host(), config.port());
      LOG.info(
          "serving {} ({} products) with model '{}' on http://{}:{} (admin routes {})",
          generations.current().store().location(),
          service.status().products(),
          generations.current().modelId(),
          config.host(),
          app.port(),
          config.adminEnabled() ? "on" : "off");
      LOG.info("detection by {}", service.detector());
      return new SearchServer(config, generations, service, app, detector);
    } catch (RuntimeException e) {
      generations.close();
      throw e;
    }
  }

  /** Hands out a given model once (the first generation's), then opens models as asked. */
  private static final class FirstThen implements ModelOpener {
    private ModelOpener.Opened first;
    private final ModelOpener rest;

    FirstThen(ModelOpener.Opened first, ModelOpener rest) {
      this.first = first;
      this.rest = rest;
    }

    @Override
    public synchronized Opened open(IndexTarget target) throws IOException {
      Opened given = first;
      if (given != null) {
        first = null;
        return given;
      }
      return rest.open(target);
    }
  }

  /**
   * The current store's sizes as gauges, read at scrape time; NaN while the store cannot answer (a
   * SolrCloud collection with no node up), so that {@code /metrics} still does.
   */
  private static void registerStoreGauges(ServerMetrics metrics, Generations generations) {
    metrics.gauge(
        "clipsearch_index_products",
        "Products in the current reader",
        () -> storeSize(generations, StoreSizes::products));
    metrics.gauge(
        "clipsearch_index_images",
        "Product images (vectors) in the current reader",
        () -> storeSize(generations, StoreSizes::images));
    metrics.gauge(
        "clipsearch_index_size_bytes",
        "Size of the index directory",
        () -> storeSize(generations, StoreSizes::bytes));
  }

  private static double storeSize(Generations generations, ToLongFunction<StoreSizes> size) {
    try {
      return size.applyAsLong(generations.current().store().sizes());
    } catch (UncheckedIOException e) {
      LOG.debug("store sizes unavailable for /metrics", e);
      return Double.NaN;
    }
  }

  /** The port actually listened on. */
  public int port() {
    return app.port();
  }

  /** The configuration it runs with (its index and model are those it started with). */
  public ServerConfig config() {
    return config;
  }

  /** The service behind the API, for in-process callers (benchmarks). */
  public SearchService service() {
    return service;
  }

  /**
   * Opens {@code target}, warms it and serves it from now on, as {@code POST /api/admin/index}
   * does; requests in flight finish on the previous index and model, which close after them.
   *
   * @throws IndexSwitchException when the switch cannot be made; the previous index keeps serving
   */
  public IndexSwitchResult switchTo(IndexTarget target) {
    return generations.switchTo(target);
  }

  @Override
  public void close() {
    LOG.info("stopping: finishing in-flight requests (up to {})", config.stopTimeout());
    try {
      app.stop();
    } catch (RuntimeException e) {
      LOG.warn("the HTTP server did not stop cleanly", e);
    }
    generations.close();
    if (detector != null) {
      detector.close();
    }
    LOG.info("stopped");
  }
}
