package dev.clipsearch.searcher.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.searcher.metrics.ServerMetrics;
import dev.clipsearch.searcher.service.Classification;
import dev.clipsearch.searcher.service.ClassifyRequest;
import dev.clipsearch.searcher.service.ComposedSearch;
import dev.clipsearch.searcher.service.DetectionService;
import dev.clipsearch.searcher.service.ImageSearch;
import dev.clipsearch.searcher.service.OriginalImage;
import dev.clipsearch.searcher.service.ProductNotFoundException;
import dev.clipsearch.searcher.service.QueryPart;
import dev.clipsearch.searcher.service.SearchMode;
import dev.clipsearch.searcher.service.SearchResult;
import dev.clipsearch.searcher.service.SearchService;
import dev.clipsearch.searcher.service.ServiceStatus;
import dev.clipsearch.searcher.service.SimilarSearch;
import dev.clipsearch.searcher.service.StoredImage;
import dev.clipsearch.searcher.service.TextSearch;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * The HTTP API: routes, validation and the mapping of results to JSON. Handlers are thin: they read
 * and check parameters, call the {@link SearchService}, and write its result; errors are thrown and
 * turned into responses in one place ({@link ApiErrors}).
 *
 * <p>{@link #create} returns an unstarted Javalin app; the caller starts it (port 0 in tests) and
 * stops it, which lets in-flight requests finish (Jetty's graceful shutdown, bounded by {@code
 * stopTimeoutMillis}).
 */
public final class SearchApi {

  /** The OpenAPI document served at {@code /openapi.json}. */
  static final String OPENAPI_RESOURCE = "/dev/clipsearch/searcher/api/openapi.json";

  /** Jetty's default of 8 KiB would answer a long {@code q} with 431; this leaves room. */
  static final int MAX_REQUEST_HEADER_BYTES = 64 * 1024;

  /**
   * Connections the kernel may hold for the listener before it accepts them (the listen backlog;
   * Linux caps it at {@code net.core.somaxconn}, 4096 by default). Jetty's default, the JDK's 50,
   * overflows when a burst of clients connects while the server is busy: the kernel then drops
   * their SYNs and they retry 1, 3 and 7 s later, which an open-loop benchmark saw as seconds of
   * p99 and connect timeouts at a few hundred requests per second (docs/benchmarks.md, "Open-loop
   * serving").
   */
  static final int ACCEPT_QUEUE = 1024;

  private final ApiSettings settings;
  private final SearchService service;
  private final AdminRoutes admin;
  private final ServerMetrics metrics;
  private final ImageUploads uploads;
  private final ComposedQueries composed;
  private final DetectRoutes detect;
  private final byte[] openApi;

  private SearchApi(
      ApiSettings settings,
      SearchService service,
      AdminRoutes admin,
      ServerMetrics metrics,
      ObjectMapper mapper,
      DetectionService detection) {
    this.settings = settings;
    this.service = service;
    this.admin = admin;
    this.metrics = metrics;
    this.uploads = new ImageUploads(settings.maxImageBytes(), mapper);
    this.composed = new ComposedQueries(uploads);
    this.detect = new DetectRoutes(detection, uploads);
    this.openApi = readResource(OPENAPI_RESOURCE);
  }

  /**
   * Builds the app without a detector ({@code /api/detect} answers 503).
   *
   * @see #create(ApiSettings, SearchService, DetectionService, AdminRoutes, ServerMetrics, long)
   */
  public static Javalin create(
      ApiSettings settings,
      SearchService service,
      AdminRoutes admin,
      ServerMetrics metrics,
      long stopTimeoutMillis) {
    return create(settings, service, null, admin, metrics, stopTimeoutMillis);
  }

  /**
   * Builds the app.
   *
   * @param settings limits and the admin token
   * @param service answers queries
   * @param detection answers {@code /api/detect}, or {@code null} for none (503)
   * @param admin answers admin routes, or {@code null} when the index is read-only
   * @param metrics where request counts and latencies go; {@code /metrics} exposes them
   * @param stopTimeoutMillis how long {@code stop()} waits for in-flight requests
   */
  public static Javalin create(
      ApiSettings settings,
      SearchService service,
      DetectionService detection,
      AdminRoutes admin,
      ServerMetrics metrics,
      long stopTimeoutMillis) {
    ObjectMapper mapper = ApiJson.newMapper();
    SearchApi api =
        new SearchApi(
            Objects.requireNonNull(settings),
            Objects.requireNonNull(service),
            admin,
            Objects.requireNonNull(metrics),
            mapper,
            detection);
    return Javalin.create(config -> api.configure(config, mapper, stopTimeoutMillis));
  }

  private void configure(JavalinConfig config, ObjectMapper mapper, long stopTimeoutMillis) {
    config.startup.showJavalinBanner = false;
    // Handlers wait on the inference pool: on a virtual thread a waiting request
    // holds no platform thread, and the carriers are as many as the cores. Under open-loop load
    // on 2 shared cores the platform pool refused connections where these did not (see
    // docs/benchmarks.md, "Query path overhead").
    config.concurrency.useVirtualThreads = true;
    config.jsonMapper(new JavalinJackson(mapper, false));
    config.http.maxRequestSize = settings.maxBodyBytes();
    config.http.prefer405over404 = true;
    config.jetty.multipartConfig.maxFileSize(settings.maxImageBytes(), SizeUnit.BYTES);
    config.jetty.multipartConfig.maxTotalRequestSize(settings.maxBodyBytes(), SizeUnit.BYTES);
    config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
    config.jetty.modifyHttpConfiguration(
        http -> {
          http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
          http.setSendServerVersion(false);
        });
    config.jetty.modifyServer(
        server -> {
          // Javalin attaches its handler inside this wrapper; stop() then drains in-flight
          // requests.
          server.setHandler(new GracefulHandler());
          server.setStopTimeout(stopTimeoutMillis);
          server.setErrorHandler(new JsonErrorHandler(mapper));
          // Javalin adds its connector after this; the backlog is set before the connector opens.
          server.addEventListener(
              new LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(LifeCycle event) {
                  for (Connector connector : server.getConnectors()) {
                    if (connector instanceof ServerConnector listener) {
                      listener.setAcceptQueueSize(ACCEPT_QUEUE);
                    }
                  }
                }
              });
        });
    if (settings.webRoot() != null && SearchApi.class.getResource(settings.webRoot()) != null) {
      config.staticFiles.add(
          files -> {
            files.hostedPath = "/";
            files.directory = settings.webRoot();
            files.location = Location.CLASSPATH;
          });
    }
    config.requestLogger.http(this::recordRequest);

    var routes = config.routes;
    routes.before(
        ctx -> {
          RequestIds.assign(ctx);
          if (ctx.contentLength() > settings.maxBodyBytes()) {
            throw ApiErrors.error(
                HttpStatus.CONTENT_TOO_LARGE,
                ErrorCodes.PAYLOAD_TOO_LARGE,
                "the request body ("
                    + ctx.contentLength()
                    + " bytes) exceeds the limit of "
                    + settings.maxBodyBytes()
                    + " bytes",
                null);
          }
        });
    routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
    routes.get("/ready", this::ready);
    routes.get("/metrics", this::metrics);
    routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
    routes.get("/api/search", this::search);
    routes.post("/api/search", this::composedSearch);
    routes.post("/api/search/image", this::searchImage);
    routes.post("/api/classify", this::classify);
    routes.post("/api/detect", detect::detect);
    routes.get("/api/products/{id}", this::product);
    routes.get("/api/products/{id}/similar", this::similar);
    routes.get("/api/products/{id}/thumbnail", this::thumbnail);
    routes.get("/api/products/{id}/images/{image}", this::originalImage);
    routes.put("/api/admin/products/{id}", ctx -> admin(ctx, a -> a.upsert(ctx)));
    routes.delete("/api/admin/products/{id}", ctx -> admin(ctx, a -> a.delete(ctx)));
    routes.post("/api/admin/index", ctx -> admin(ctx, a -> a.switchIndex(ctx)));
    new ApiErrors(settings.maxBodyBytes()).register(routes);
  }

  private void search(Context ctx) {
    String q = SearchParams.query(ctx);
    String like = ctx.queryParam("like");
    if (like != null) {
      // Short form of a composed query: the product and the words, equal weights.
      if (like.isBlank()) {
        throw ApiErrors.invalidParameter("like", "parameter 'like' must not be empty");
      }
      List<QueryPart> parts = List.of(new QueryPart.Product(like, 1.0), new QueryPart.Text(q, 1.0));
      SearchMode mode = SearchParams.mode(ctx);
      if (mode == SearchMode.LEXICAL) {
        throw ApiErrors.invalidParameter(
            "mode", "parameter 'mode' must be vector or hybrid beside 'like'");
      }
      SearchResult result;
      try {
        result = service.composedSearch(new ComposedSearch(parts, mode, SearchParams.options(ctx)));
      } catch (ProductNotFoundException e) {
        throw new ProductNotFoundException(
            like, "parameter 'like': no product with id '" + like + "'");
      }
      ctx.json(ApiBodies.search(result, composedQuery(result, like)));
      return;
    }
    TextSearch search = new TextSearch(q, SearchParams.mode(ctx), SearchParams.options(ctx));
    SearchResult result = service.search(search);
    ctx.json(
        ApiBodies.search(
            result,
            new ApiBodies.QueryBody("text", result.queryText(), null, result.queryTruncated())));
  }

  private void composedSearch(Context ctx) {
    ComposedSearch search = composed.read(uploads.readJsonTree(ctx));
    SearchResult result = service.composedSearch(search);
    String product =
        search.parts().stream()
            .filter(p -> p instanceof QueryPart.Product)
            .map(p -> ((QueryPart.Product) p).productId())
            .findFirst()
            .orElse(null);
    ctx.json(ApiBodies.search(result, composedQuery(result, product)));
  }

  private static ApiBodies.QueryBody composedQuery(SearchResult result, String productId) {
    return new ApiBodies.QueryBody(
        "composed", result.queryText(), productId, result.queryTruncated());
  }

  private void searchImage(Context ctx) {
    // Parameters first: a bad k should not cost an upload's decoding.
    var options = SearchParams.options(ctx);
    ImageUploads.ImageInput input = uploads.readImageQuery(ctx);
    if (input.q() != null) {
      // Short form of a composed query: the image and the words beside it, equal weights.
      if (input.q().isBlank()) {
        throw ApiErrors.invalidParameter("q", "parameter 'q' must not be empty");
      }
      List<QueryPart> parts =
          List.of(new QueryPart.Image(input.image(), 1.0), new QueryPart.Text(input.q(), 1.0));
      SearchMode mode = ctx.queryParam("mode") == null ? SearchMode.VECTOR : SearchParams.mode(ctx);
      if (mode == SearchMode.LEXICAL) {
        throw ApiErrors.invalidParameter(
            "mode", "parameter 'mode' must be vector or hybrid beside an image");
      }
      SearchResult result = service.composedSearch(new ComposedSearch(parts, mode, options));
      ctx.json(ApiBodies.search(result, composedQuery(result, null)));
      return;
    }
    SearchResult result = service.searchByImage(new ImageSearch(input.image(), options));
    ctx.json(ApiBodies.search(result, new ApiBodies.QueryBody("image", null, null, null)));
  }

  private void similar(Context ctx) {
    String id = ctx.pathParam("id");
    SearchResult result = service.similar(new SimilarSearch(id, SearchParams.options(ctx)));
    ctx.json(ApiBodies.search(result, new ApiBodies.QueryBody("similar", null, id, null)));
  }

  private void classify(Context ctx) {
    ImageUploads.ClassifyInput input = uploads.readClassify(ctx);
    List<String> labels = LabelParams.check(input.labels(), settings.maxLabels());
    String template = input.template();
    if (template != null) {
      if (!template.contains(ClassifyRequest.PLACEHOLDER)) {
        throw ApiErrors.invalidParameter(
            "template",
            "parameter 'template' must contain '{}' where the label goes, e.g. 'a photo of a {}'");
      }
      if (template.length() > SearchParams.MAX_FILTER_CHARS) {
        throw ApiErrors.invalidParameter(
            "template",
            "parameter 'template' is longer than " + SearchParams.MAX_FILTER_CHARS + " characters");
      }
    }
    Classification result = service.classify(new ClassifyRequest(input.image(), labels, template));
    ctx.json(result);
  }

  private void product(Context ctx) {
    ctx.json(ApiBodies.product(service.product(ctx.pathParam("id"))));
  }

  private void thumbnail(Context ctx) {
    int image =
        ctx.queryParamAsClass("image", Integer.class)
            .check(v -> v == null || v >= 0, "must be at least 0")
            .getOrDefault(0);
    sendImage(ctx, service.thumbnail(ctx.pathParam("id"), image));
  }

  private void originalImage(Context ctx) throws IOException {
    int image =
        ctx.pathParamAsClass("image", Integer.class)
            .check(v -> v == null || v >= 0, "must be at least 0")
            .get();
    OriginalImage original = service.originalImage(ctx.pathParam("id"), image);
    if (original.remote() != null) {
      ctx.redirect(original.remote().toString(), HttpStatus.FOUND);
      return;
    }
    ctx.header("Cache-Control", "public, max-age=300");
    if (original.mediaType() != null) {
      ctx.contentType(original.mediaType());
    }
    ctx.result(Files.newInputStream(original.file()));
  }

  private static void sendImage(Context ctx, StoredImage image) {
    ctx.header("Cache-Control", "public, max-age=300");
    ctx.contentType(image.mediaType()).result(image.bytes());
  }

  private void ready(Context ctx) {
    ServiceStatus status = service.status();
    if (!status.ready()) {
      throw ApiErrors.error(
          HttpStatus.SERVICE_UNAVAILABLE,
          ErrorCodes.UNAVAILABLE,
          "the model or the index is not loaded yet",
          null);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "ready");
    body.put("model", status.modelId());
    body.put("dimension", status.dimension());
    body.put("products", status.products());
    body.put("images", status.images());
    ctx.json(body);
  }

  private void metrics(Context ctx) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    metrics.writeTo(out);
    ctx.contentType(metrics.contentType()).result(out.toByteArray());
  }

  private void admin(Context ctx, AdminCall call) throws Exception {
    if (!settings.adminEnabled() || admin == null) {
      throw ApiErrors.error(
          HttpStatus.NOT_FOUND,
          ErrorCodes.ADMIN_DISABLED,
          "admin routes are off: start the server with an admin token"
              + " (environment variable CLIPSEARCH_ADMIN_TOKEN)",
          null);
    }
    AdminRoutes.checkBearer(ctx, settings.adminToken());
    call.handle(admin);
  }

  @FunctionalInterface
  private interface AdminCall {
    void handle(AdminRoutes admin) throws Exception;
  }

  private void recordRequest(Context ctx, Float millis) {
    metrics.recordRequest(routeLabel(ctx), ctx.method().name(), ctx.statusCode(), millis / 1000.0);
  }

  /** The matched route template: bounded label values whatever paths clients send. */
  private static String routeLabel(Context ctx) {
    try {
      Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
      if (endpoint != null) {
        return endpoint.path;
      }
    } catch (RuntimeException e) {
      // No endpoint matched (404, static file): fall through.
    }
    return "unmatched";
  }

  private static byte[] readResource(String name) {
    try (InputStream in = SearchApi.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read classpath resource " + name, e);
    }
  }
}
