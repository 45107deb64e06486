package dev.clipsearch.searcher.cli;

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
 */
public record ServeJob(
    ServerConfig server,
    Path modelDir,
    RuntimeOptions runtime,
    DecodeMode decodeMode,
    Path detectorDir) {

  /** How long shutdown waits for in-flight requests unless told otherwise. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

  public ServeJob {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(modelDir, "modelDir");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(decodeMode, "decodeMode");
  }

  /** A job that decodes uploads exactly and has no detection model. */
  public ServeJob(ServerConfig server, Path modelDir, RuntimeOptions runtime) {
    this(server, modelDir, runtime, DecodeMode.EXACT, null);
  }

  /** A copy whose {@code /api/detect} is answered by the OWL-ViT model in {@code dir} (or not). */
  public ServeJob withDetector(Path dir) {
    return new ServeJob(server, modelDir, runtime, decodeMode, dir);
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
        RuntimeOptions.defaults().withDevice(device));
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
    return new ServeJob(server, modelDir, runtime, mode, detectorDir);
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
        detectorDir);
  }
}
