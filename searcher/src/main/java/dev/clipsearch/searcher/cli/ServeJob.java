package dev.clipsearch.searcher.cli;

import dev.clipsearch.indexer.cli.StoreTarget;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.image.DecodeMode;
import dev.clipsearch.models.image.ImageLimits;
import dev.clipsearch.searcher.api.ApiSettings;
import dev.clipsearch.searcher.encode.EncoderSettings;
import dev.clipsearch.searcher.search.SearchSettings;
import dev.clipsearch.searcher.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One {@code clipsearch serve} run, typed: the server's configuration plus the model to load. What
 * {@link ServeCommand} builds from its options and the environment, and what another launcher (the
 * demo) builds directly, then hands to {@link ServeCommand#serve} or {@link ServeCommand#start}.
 *
 * @param server what the server does: index, address, limits, pools, ranking
 * @param modelDir the model directory (a cached model's name already resolved)
 * @param runtime where the model runs and with how many threads per encoding
 * @param decodeMode how uploaded photos (admin PUT) are decoded for indexing; query images are
 *     always decoded at full size
 * @param detectorDir an OWL-ViT model directory that answers {@code /api/detect}, or {@code null}
 *     for CLIP regions over the search model
 * @param store what is served: the embedded index of {@link ServerConfig#indexDir()}, or a
 *     SolrCloud collection (whose {@link #solrIndexDir} the server config then names)
 */
public record ServeJob(
    ServerConfig server,
    Path modelDir,
    RuntimeOptions runtime,
    DecodeMode decodeMode,
    Path detectorDir,
    StoreTarget store) {

  /** How long shutdown waits for in-flight requests unless told otherwise. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

  public ServeJob {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(modelDir, "modelDir");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(decodeMode, "decodeMode");
    Objects.requireNonNull(store, "store");
    if (store instanceof StoreTarget.Solr solr && !server.indexDir().equals(solrIndexDir(solr))) {
      throw new IllegalArgumentException(
          "a job serving " + solr.describe() + " must name " + solrIndexDir(solr) + " as index");
    }
  }

  /** A job serving the embedded index of {@code server.indexDir()}. */
  public ServeJob(
      ServerConfig server,
      Path modelDir,
      RuntimeOptions runtime,
      DecodeMode decodeMode,
      Path detectorDir) {
    this(
        server,
        modelDir,
        runtime,
        decodeMode,
        detectorDir,
        new StoreTarget.Embedded(server.indexDir()));
  }

  /**
   * The name a server serving a SolrCloud collection gives it where it names an index directory
   * ({@link ServerConfig#indexDir()}, the first generation's target): {@code solr:COLLECTION}, a
   * path no embedded index is opened at. A switch to a real directory serves that embedded index.
   */
  public static Path solrIndexDir(StoreTarget.Solr solr) {
    return Path.of("solr:" + solr.collection());
  }

  /** Whether this job serves a SolrCloud collection rather than an index directory. */
  public boolean servesSolr() {
    return store instanceof StoreTarget.Solr;
  }

  /** A job that decodes uploads exactly and has no detection model. */
  public ServeJob(ServerConfig server, Path modelDir, RuntimeOptions runtime) {
    this(server, modelDir, runtime, DecodeMode.EXACT, null);
  }

  /** A copy whose {@code /api/detect} is answered by the OWL-ViT model in {@code dir} (or not). */
  public ServeJob withDetector(Path dir) {
    return new ServeJob(server, modelDir, runtime, decodeMode, dir, store);
  }

  /**
   * What {@code clipsearch serve --index I --model M --host H --port P --device D} runs: every
   * other option at its default, admin routes off, thumbnails but no original images, uploads
   * decoded exactly, CLIP regions for detection.
   */
  public static ServeJob defaults(Path index, Path modelDir, String host, int port, Device device) {
    return new ServeJob(
        new ServerConfig(
            index,
            modelDir.toString(),
            host,
            port,
            device.toString(),
            ApiSettings.defaults(),
            EncoderSettings.defaults(defaultInferenceThreads(device)),
            SearchSettings.defaults(),
            ImageLimits.DEFAULT_MAX_PIXELS,
            DEFAULT_STOP_TIMEOUT),
        modelDir,
        RuntimeOptions.defaults().withDevice(device).withVariant(null));
  }

  /**
   * Queries encoded at once unless told otherwise: 1 on a GPU (it runs one at a time anyway), else
   * half the cores, at least 1.
   */
  public static int defaultInferenceThreads(Device device) {
    int cores = Runtime.getRuntime().availableProcessors();
    return device.kind() == Device.Kind.CUDA ? 1 : Math.max(1, cores / 2);
  }

  /** A copy that serves the original catalog images found under {@code root}, or none if null. */
  public ServeJob withImagesRoot(Path root) {
    return withServer(server.api(), server.search().withImagesRoot(root));
  }

  /** A copy with admin routes on behind this bearer token, or off if null. */
  public ServeJob withAdminToken(String token) {
    return withServer(server.api().withAdminToken(token), server.search());
  }

  /** A copy that decodes uploaded photos this way. */
  public ServeJob withDecodeMode(DecodeMode mode) {
    return new ServeJob(server, modelDir, runtime, mode, detectorDir, store);
  }

  private ServeJob withServer(ApiSettings api, SearchSettings search) {
    ServerConfig s = server;
    return new ServeJob(
        new ServerConfig(
            s.indexDir(),
            s.model(),
            s.host(),
            s.port(),
            s.device(),
            api,
            s.encoder(),
            search,
            s.maxImagePixels(),
            s.stopTimeout()),
        modelDir,
        runtime,
        decodeMode,
        detectorDir,
        store);
  }
}
