package dev.clipsearch.searcher.cli;

import dev.clipsearch.indexer.cli.SolrStores;
import dev.clipsearch.indexer.cli.StoreOptions;
import dev.clipsearch.indexer.cli.StoreTarget;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexOpenException;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.Variant;
import dev.clipsearch.models.cli.ModelsConfig;
import dev.clipsearch.models.detect.Detector;
import dev.clipsearch.models.detect.OwlVitDetector;
import dev.clipsearch.models.hub.ModelNotFoundException;
import dev.clipsearch.models.hub.ModelRegistry;
import dev.clipsearch.models.image.ClipImagePreprocessor;
import dev.clipsearch.models.image.DecodeMode;
import dev.clipsearch.models.image.ImageDecoder;
import dev.clipsearch.models.image.ImageLimits;
import dev.clipsearch.models.image.ImagePipeline;
import dev.clipsearch.models.image.Thumbnailer;
import dev.clipsearch.searcher.api.ApiSettings;
import dev.clipsearch.searcher.encode.EncoderSettings;
import dev.clipsearch.searcher.search.SearchSettings;
import dev.clipsearch.searcher.server.ModelOpener;
import dev.clipsearch.searcher.server.SearchServer;
import dev.clipsearch.searcher.server.ServerConfig;
import dev.clipsearch.searcher.server.StoreOpener;
import dev.clipsearch.searcher.service.IndexTarget;
import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code clipsearch serve}: the search server over an index, until stopped (Ctrl-C or SIGTERM,
 * which let in-flight requests finish). Builds one {@link ServeJob} (a {@link ServerConfig}, the
 * model directory, its runtime options and how uploads are decoded) from the options and the
 * environment ({@code CLIPSEARCH_ADMIN_TOKEN} turns the admin routes on; {@code CLIPSEARCH_HOME}
 * locates cached models) and logs it at start; {@link #serve(ServeJob, PrintWriter, PrintWriter)}
 * runs it, for this command and for launchers that build the job themselves.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve an index (--index DIR) or a SolrCloud collection (--solr URL --collection NAME)"
          + " over HTTP: text, image and more-like-this search, filters, facets,"
          + " zero-shot classification; the search page at /, the API under /api, OpenAPI at"
          + " /openapi.json.",
      "Admin routes (PUT/DELETE /api/admin/products/{id}) are on only when the environment"
          + " variable CLIPSEARCH_ADMIN_TOKEN is set; they then need 'Authorization: Bearer"
          + " <token>', and the server holds the index's write lock.",
      "Switch to another index and its model without downtime with POST /api/admin/index"
          + " (admin token), or SIGHUP: the server then re-opens --index and --model (symbolic"
          + " links pointed at the new ones), warms them and switches atomically."
    })
public final class ServeCommand implements Callable<Integer> {

  /** The environment variable holding the admin bearer token. */
  public static final String ADMIN_TOKEN_VARIABLE = "CLIPSEARCH_ADMIN_TOKEN";

  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Spec CommandSpec spec;

  @Mixin StoreOptions store;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR|NAME",
      description = "The model that built the index: a model directory, or a cached model's name.")
  String model;

  @Option(
      names = "--detector",
      paramLabel = "DIR|NAME",
      description =
          "An OWL-ViT model for /api/detect (CPU): a directory or a cached model's name, e.g."
              + " owlvit-base-patch32; default: CLIP regions over --model.")
  String detector;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "7070",
      description = "Port (default: ${DEFAULT-VALUE}; 0 for any free port).")
  int port;

  @Option(
      names = "--device",
      defaultValue = "auto",
      paramLabel = "auto|cpu|cuda[:N]",
      description = "Where the model runs (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(
      names = "--inference-threads",
      paramLabel = "N",
      description =
          "Queries encoded at once (default: 1 on a GPU, else half the cores, at least 1).")
  Integer inferenceThreads;

  @Option(
      names = "--intra-op-threads",
      defaultValue = "0",
      paramLabel = "N",
      description = "ONNX Runtime threads inside one encoding (default: 0, the runtime's choice).")
  int intraOpThreads;

  @Option(
      names = "--precision",
      paramLabel = "fp32|fp16",
      description =
          "The model's ONNX variant, as for index: fp16 on CUDA when the model directory has an"
              + " fp16 export, else fp32 (default). It must be the precision the index was built"
              + " with: fp16 and fp32 vectors carry different model ids.")
  String precision;

  @Option(
      names = "--queue",
      paramLabel = "N",
      description =
          "Encodings allowed to wait; more are refused with 503 and Retry-After (default: 4 per inference thread + 16).")
  Integer queue;

  @Option(
      names = "--text-cache",
      defaultValue = "10000",
      paramLabel = "N",
      description = "Text embeddings kept in the LRU cache (default: ${DEFAULT-VALUE}).")
  int textCache;

  @Option(
      names = "--max-upload-mb",
      defaultValue = "20",
      paramLabel = "MB",
      description = "Largest accepted image upload (default: ${DEFAULT-VALUE}); larger is 413.")
  int maxUploadMb;

  @Option(
      names = "--max-image-pixels",
      defaultValue = "64000000",
      paramLabel = "N",
      description =
          "Images whose header declares more pixels are refused before decoding (default: ${DEFAULT-VALUE}).")
  long maxImagePixels;

  @Option(
      names = "--decode",
      defaultValue = "exact",
      paramLabel = "exact|fast",
      description =
          "How uploaded photos are decoded for indexing: exact (full size, as the CLIP reference),"
              + " or fast (large JPEGs at a reduced DCT scale). Default: ${DEFAULT-VALUE}.")
  String decode;

  @Option(
      names = "--images-root",
      paramLabel = "DIR",
      description =
          "Serve original catalog images found under this folder (the catalog's folder); default: thumbnails only.")
  Path imagesRoot;

  @Option(
      names = "--vector-weight",
      defaultValue = "1.0",
      description = "Weight of the vector ranking in hybrid mode (default: ${DEFAULT-VALUE}).")
  double vectorWeight;

  @Option(
      names = "--lexical-weight",
      defaultValue = "1.0",
      description = "Weight of the BM25 ranking in hybrid mode (default: ${DEFAULT-VALUE}).")
  double lexicalWeight;

  @Option(
      names = "--knn-candidates",
      defaultValue = "100",
      paramLabel = "N",
      description =
          "Products the HNSW search collects before paging; more is better recall, slower (default: ${DEFAULT-VALUE}).")
  int knnCandidates;

  @Option(
      names = "--facet-depth",
      defaultValue = "100",
      paramLabel = "N",
      description =
          "Facets count over this many best matches; 0 turns them off (default: ${DEFAULT-VALUE}).")
  int facetDepth;

  @Option(
      names = "--stop-timeout",
      defaultValue = "30",
      paramLabel = "SECONDS",
      description = "How long shutdown waits for in-flight requests (default: ${DEFAULT-VALUE}).")
  int stopTimeoutSeconds;

  private final Map<String, String> environment;
  private final Path userHome;

  /** The command as the launcher runs it: the process environment (admin token, model cache). */
  public ServeCommand() {
    this(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /** The command with its environment given explicitly (tests). */
  ServeCommand(Map<String, String> environment, Path userHome) {
    this.environment = Map.copyOf(environment);
    this.userHome = userHome;
  }

  @Override
  public Integer call() throws Exception {
    return serve(
        job(),
        modelResolver(environment, userHome),
        spec.commandLine().getOut(),
        spec.commandLine().getErr());
  }

  /**
   * Serves a job until the JVM shuts down (Ctrl-C), then stops gracefully. Failures to start (no
   * index, another model's index, an unloadable model, a taken port) are printed on {@code err} and
   * returned as exit code 1.
   *
   * @return 0 after a clean shutdown, 1 when the server could not start
   */
  public static int serve(ServeJob job, PrintWriter out, PrintWriter err)
      throws IOException, InterruptedException {
    return serve(
        job, modelResolver(System.getenv(), Path.of(System.getProperty("user.home"))), out, err);
  }

  private static int serve(
      ServeJob job, Function<String, Path> resolver, PrintWriter out, PrintWriter err)
      throws IOException, InterruptedException {
    ServerConfig config = job.server();
    SearchServer server;
    try {
      server = start(job, resolver);
    } catch (IndexOpenException | ModelLoadException e) {
      err.println("clipsearch serve: " + e.getMessage());
      return 1;
    } catch (JavalinBindException e) {
      err.println(
          "clipsearch serve: cannot listen on "
              + config.host()
              + ":"
              + config.port()
              + ": "
              + e.getMessage());
      return 1;
    }
    out.println("clipsearch: serving on http://" + config.host() + ":" + server.port() + "/");
    out.flush();
    if (!job.servesSolr()) {
      // SIGHUP re-opens --index and --model; a collection is re-read on every query anyway
      ReloadSignal.install(server, new IndexTarget(config.indexDir(), config.model()));
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "clipsearch-shutdown"));
    stopped.await();
    return 0;
  }

  /**
   * Loads the job's model, opens the index (refusing another model's index) and starts listening.
   * The returned server owns the model and closes it. Switches ({@code POST /api/admin/index},
   * SIGHUP) resolve model names through the model cache of the process environment.
   */
  public static SearchServer start(ServeJob job) throws IOException {
    return start(job, modelResolver(System.getenv(), Path.of(System.getProperty("user.home"))));
  }

  /**
   * As {@link #start(ServeJob)}, resolving the model names of later switches with {@code resolver}.
   */
  static SearchServer start(ServeJob job, Function<String, Path> resolver) throws IOException {
    LOG.info("starting with {}", job);
    Detector detector = loadDetector(job);
    try {
      return SearchServer.start(job.server(), opener(job, resolver), detector, stores(job));
    } catch (IOException | RuntimeException e) {
      if (detector != null) {
        detector.close();
      }
      throw e;
    }
  }

  /**
   * Opens what the job serves: its SolrCloud collection for the job's own target, an embedded index
   * for every other target (a switch to an index directory), refusing another model's store.
   */
  static StoreOpener stores(ServeJob job) {
    if (!(job.store() instanceof StoreTarget.Solr solr)) {
      return StoreOpener.EMBEDDED;
    }
    Path solrDir = ServeJob.solrIndexDir(solr);
    return (target, model, config) ->
        target.indexDir().equals(solrDir)
            ? SolrStores.openSearch(solr, model, config.adminEnabled())
            : StoreOpener.EMBEDDED.open(target, model, config);
  }

  /**
   * Loads models as {@code serve} does: the job's own model from its resolved directory, any other
   * through {@code resolver}; the image decoding follows the model's preprocessing and the index's
   * thumbnail size.
   */
  static ModelOpener opener(ServeJob job, Function<String, Path> resolver) {
    return target -> {
      Path modelDir =
          target.model().equals(job.server().model())
              ? job.modelDir()
              : resolver.apply(target.model());
      int thumbnails =
          job.store() instanceof StoreTarget.Solr solr
                  && target.indexDir().equals(ServeJob.solrIndexDir(solr))
              ? IndexSettings.DEFAULTS.thumbnailSize()
              : CatalogIndex.readMetadata(target.indexDir()).settings().thumbnailSize();
      ClipModel clip = ClipModels.load(modelDir, job.runtime());
      ImageDecoder decoder = new ImageDecoder(new ImageLimits(job.server().maxImagePixels()));
      ClipImagePreprocessor preprocessor = new ClipImagePreprocessor(clip.spec().preprocess());
      ImagePipeline queries = new ImagePipeline(decoder, preprocessor, null);
      ImageDecoder uploadDecoder =
          job.decodeMode().decoder(decoder, clip.spec().preprocess().size(), thumbnails);
      LOG.info(
          "uploads: decode {}, JPEG through {}",
          job.decodeMode().code(),
          uploadDecoder.jpegDecoder());
      ImagePipeline uploads =
          new ImagePipeline(
              uploadDecoder,
              preprocessor,
              thumbnails == 0 ? null : new Thumbnailer(thumbnails, Thumbnailer.DEFAULT_QUALITY));
      return new ModelOpener.Opened(clip, queries, uploads);
    };
  }

  /**
   * Resolves {@code --model} values (a directory, or a cached model's name) against the model cache
   * of this environment.
   *
   * @return a function that throws {@link IllegalArgumentException} naming an unknown model
   */
  static Function<String, Path> modelResolver(Map<String, String> environment, Path userHome) {
    return model -> {
      try {
        return ModelsConfig.fromEnvironment(environment, userHome)
            .cache(ModelRegistry.builtIn())
            .resolve(model);
      } catch (ModelNotFoundException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    };
  }

  /** The job's OWL-ViT detector, on the CPU (the detector's only device), or null for none. */
  private static Detector loadDetector(ServeJob job) {
    if (job.detectorDir() == null) {
      return null;
    }
    return OwlVitDetector.load(job.detectorDir(), job.runtime().withDevice(Device.CPU));
  }

  /**
   * Starts the server the options ask for (tests).
   *
   * @throws ParameterException for unusable options (a bad device, an unknown model)
   */
  SearchServer start() throws IOException {
    return start(job());
  }

  /**
   * The run the options and the environment ask for.
   *
   * @throws ParameterException for unusable options (a bad device, an unknown model, an unknown
   *     decode mode)
   */
  ServeJob job() {
    StoreTarget target = store.target();
    return new ServeJob(
        config(target),
        resolveModel(),
        runtimeOptions(),
        uploadDecodeMode(),
        detectorDir(),
        target);
  }

  private DecodeMode uploadDecodeMode() {
    try {
      return DecodeMode.parse(decode);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--decode: " + e.getMessage());
    }
  }

  private Path resolveModel() {
    try {
      return modelResolver(environment, userHome).apply(model);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--model: " + e.getMessage());
    }
  }

  /** The {@code --detector} directory, a name resolved like {@code --model}'s; null for none. */
  private Path detectorDir() {
    if (detector == null) {
      return null;
    }
    try {
      return modelResolver(environment, userHome).apply(detector);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--detector: " + e.getMessage());
    }
  }

  private RuntimeOptions runtimeOptions() {
    return RuntimeOptions.defaults()
        .withDevice(device())
        .withIntraOpThreads(intraOpThreads)
        .withVariant(variant());
  }

  /** The asked-for precision, or null to leave it to the device as {@code index} does. */
  private Variant variant() {
    if (precision == null) {
      return null;
    }
    try {
      Variant variant = Variant.parse(precision);
      if (variant == Variant.QUANTIZED) {
        throw new IllegalArgumentException("expected fp32 or fp16, got " + precision);
      }
      return variant;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--precision: " + e.getMessage());
    }
  }

  private Device device() {
    try {
      return Device.parse(device);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--device: " + e.getMessage());
    }
  }

  /** The server's configuration from the options and the environment. */
  ServerConfig config() {
    return config(store.target());
  }

  private ServerConfig config(StoreTarget served) {
    Device target = device();
    Path index =
        switch (served) {
          case StoreTarget.Embedded embedded -> embedded.dir();
          case StoreTarget.Solr solr -> ServeJob.solrIndexDir(solr);
        };
    try {
      return config(index, target, adminToken(environment));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /**
   * The admin bearer token from {@value #ADMIN_TOKEN_VARIABLE}, or null when it is not set.
   *
   * @throws IllegalArgumentException when the variable is set but blank
   */
  public static String adminToken(Map<String, String> environment) {
    String token = environment.get(ADMIN_TOKEN_VARIABLE);
    if (token != null && token.isBlank()) {
      throw new IllegalArgumentException(
          ADMIN_TOKEN_VARIABLE + " is set but blank: unset it or give a token");
    }
    return token;
  }

  private ServerConfig config(Path index, Device target, String token) {
    int threads =
        inferenceThreads != null ? inferenceThreads : ServeJob.defaultInferenceThreads(target);
    EncoderSettings defaults = EncoderSettings.defaults(threads);
    EncoderSettings encoder =
        new EncoderSettings(
            threads,
            queue != null ? queue : defaults.queueCapacity(),
            textCache,
            defaults.maxQueryChars(),
            defaults.timeout(),
            defaults.retryAfter());
    ApiSettings api =
        new ApiSettings(
            (long) maxUploadMb * 1024 * 1024,
            token,
            ApiSettings.DEFAULT_MAX_LABELS,
            ApiSettings.DEFAULT_WEB_ROOT);
    SearchSettings search =
        SearchSettings.defaults()
            .withKnnCandidates(knnCandidates)
            .withFacetDepth(facetDepth)
            .withHybridWeights(vectorWeight, lexicalWeight)
            .withImagesRoot(imagesRoot);
    return new ServerConfig(
        index,
        model,
        host,
        port,
        target.toString(),
        api,
        encoder,
        search,
        maxImagePixels,
        Duration.ofSeconds(stopTimeoutSeconds));
  }
}
