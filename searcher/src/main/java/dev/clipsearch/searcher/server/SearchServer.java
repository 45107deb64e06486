package dev.clipsearch.searcher.server;

import dev.clipsearch.indexer.index.search.LuceneSearchStore;
import dev.clipsearch.indexer.store.SearchStore;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.detect.ClipRegionDetector;
import dev.clipsearch.models.detect.Detector;
import dev.clipsearch.models.image.ImageDecoder;
import dev.clipsearch.models.image.ImageLimits;
import dev.clipsearch.models.image.ImageProcessor;
import dev.clipsearch.searcher.api.AdminRoutes;
import dev.clipsearch.searcher.api.SearchApi;
import dev.clipsearch.searcher.detect.ModelDetectionService;
import dev.clipsearch.searcher.encode.QueryEncoder;
import dev.clipsearch.searcher.metrics.ServerMetrics;
import dev.clipsearch.searcher.search.StoreCatalogAdmin;
import dev.clipsearch.searcher.search.StoreSearchService;
import dev.clipsearch.searcher.service.DetectionService;
import dev.clipsearch.searcher.service.SearchService;
import io.javalin.Javalin;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running search server: the store (the embedded index), the query encoder, the service and the
 * HTTP API, wired explicitly from a {@link ServerConfig}. The model and the image processors are
 * built by the caller (the command line, or a test) and handed in; the server closes the model when
 * it stops.
 *
 * <p>{@link #close()} shuts down gracefully: the listener stops accepting, in-flight requests
 * finish (up to the configured stop timeout), then the inference pool drains and the index closes.
 */
public final class SearchServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SearchServer.class);

  private final ServerConfig config;
  private final ClipModel model;
  private final SearchStore store;
  private final QueryEncoder encoder;
  private final SearchService service;
  private final Javalin app;
  private final Detector detector;

  private SearchServer(
      ServerConfig config,
      ClipModel model,
      SearchStore store,
      QueryEncoder encoder,
      SearchService service,
      Javalin app,
      Detector detector) {
    this.config = config;
    this.model = model;
    this.store = store;
    this.encoder = encoder;
    this.service = service;
    this.app = app;
    this.detector = detector;
  }

  /**
   * Opens the index, checks that {@code model} built it, and starts listening.
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
   * null} for CLIP regions over {@code model}. The server closes it when it stops; when starting
   * fails, closing it is the caller's business, as for the model.
   */
  public static SearchServer start(
      ServerConfig config,
      ClipModel model,
      ImageProcessor queryImages,
      ImageProcessor catalogImages,
      Detector detector)
      throws IOException {
    SearchStore store =
        LuceneSearchStore.open(
            config.indexDir(),
            model.spec(),
            config.adminEnabled(),
            config.search().refreshInterval());
    ServerMetrics metrics = new ServerMetrics();
    QueryEncoder encoder =
        new QueryEncoder(model, queryImages, catalogImages, config.encoder(), metrics);
    try {
      StoreSearchService service = new StoreSearchService(store, encoder, config.search(), metrics);
      registerStoreGauges(metrics, store);
      AdminRoutes admin =
          config.adminEnabled()
              ? new AdminRoutes(new StoreCatalogAdmin(store, encoder), config.api().maxImageBytes())
              : null;
      Detector detects =
          detector != null
              ? detector
              : new ClipRegionDetector(model, ClipRegionDetector.Config.defaults());
      DetectionService detection =
          new ModelDetectionService(
              detects,
              new ImageDecoder(new ImageLimits(config.maxImagePixels())),
              encoder,
              service);
      Javalin app =
          SearchApi.create(
              config.api(), service, detection, admin, metrics, config.stopTimeout().toMillis());
      app.start(config.host(), config.port());
      LOG.info(
          "serving {} ({} products) with model '{}' on http://{}:{} (admin routes {})",
          config.indexDir(),
          service.status().products(),
          model.id(),
          config.host(),
          app.port(),
          config.adminEnabled() ? "on" : "off");
      LOG.info("detection by {}", detects.name());
      return new SearchServer(config, model, store, encoder, service, app, detects);
    } catch (RuntimeException e) {
      encoder.close();
      store.close();
      throw e;
    }
  }

  /** The store's sizes as gauges, read at scrape time. */
  private static void registerStoreGauges(ServerMetrics metrics, SearchStore store) {
    metrics.gauge(
        "clipsearch_index_products",
        "Products in the current reader",
        () -> store.sizes().products());
    metrics.gauge(
        "clipsearch_index_images",
        "Product images (vectors) in the current reader",
        () -> store.sizes().images());
    metrics.gauge(
        "clipsearch_index_size_bytes", "Size of the index directory", () -> store.sizes().bytes());
  }

  /** The port actually listened on. */
  public int port() {
    return app.port();
  }

  /** The configuration it runs with. */
  public ServerConfig config() {
    return config;
  }

  /** The service behind the API, for in-process callers (benchmarks). */
  public SearchService service() {
    return service;
  }

  @Override
  public void close() {
    LOG.info("stopping: finishing in-flight requests (up to {})", config.stopTimeout());
    try {
      app.stop();
    } catch (RuntimeException e) {
      LOG.warn("the HTTP server did not stop cleanly", e);
    }
    encoder.close();
    detector.close();
    try {
      store.close();
    } catch (IOException e) {
      LOG.warn("closing the index {} failed", config.indexDir(), e);
    }
    model.close();
    LOG.info("stopped");
  }
}
