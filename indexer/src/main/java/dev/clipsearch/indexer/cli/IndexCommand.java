package dev.clipsearch.indexer.cli;

import dev.clipsearch.common.cli.ProgressBar;
import dev.clipsearch.indexer.catalog.CatalogFormat;
import dev.clipsearch.indexer.catalog.Catalogs;
import dev.clipsearch.indexer.fetch.FetchConfig;
import dev.clipsearch.indexer.fetch.ImageFetcher;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexMetadata;
import dev.clipsearch.indexer.index.IndexOpenException;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.index.Quantization;
import dev.clipsearch.indexer.pipeline.BulkIndexer;
import dev.clipsearch.indexer.pipeline.FailureListener;
import dev.clipsearch.indexer.pipeline.IndexingConfig;
import dev.clipsearch.indexer.pipeline.IndexingException;
import dev.clipsearch.indexer.pipeline.IndexingResult;
import dev.clipsearch.indexer.pipeline.ProgressListener;
import dev.clipsearch.indexer.report.JsonReportWriter;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.cli.ModelsConfig;
import dev.clipsearch.models.hub.ModelNotFoundException;
import dev.clipsearch.models.hub.ModelRegistry;
import dev.clipsearch.models.image.ClipImagePreprocessor;
import dev.clipsearch.models.image.DecodeMode;
import dev.clipsearch.models.image.ImageDecoder;
import dev.clipsearch.models.image.ImageLimits;
import dev.clipsearch.models.image.ImagePipeline;
import dev.clipsearch.models.image.Thumbnailer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code clipsearch index}: a catalog into a search index, incrementally. Builds one immutable
 * {@link IndexJob} ({@link IndexingConfig}, {@link IndexSettings}, {@link FetchConfig}, {@link
 * RuntimeOptions}) from the options; {@link #run(IndexJob, PrintWriter, PrintWriter)} wires the
 * stages and runs a {@link BulkIndexer}, for this command and for launchers that build the job
 * themselves.
 *
 * <p>Over 400 lines because of its 26 option declarations with their help text (about 190 lines);
 * the rest is the wiring, and the pipeline itself lives in {@code indexer.pipeline}.
 */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Index a product catalog (JSON Lines or CSV) into DIR: image vectors in Lucene HNSW, text"
          + " fields, facets, thumbnails.",
      "Incremental: unchanged products are skipped without reading their images, changed ones"
          + " reuse the vectors of unchanged images. Crash-safe: commits every --commit-every"
          + " products; rerun after a crash to finish the job.",
      "Ctrl-C stops reading, finishes and commits what is in flight."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done (failed products, if any, are listed in the summary and the report)",
      "1:fatal error: unreadable catalog, unusable index or model, I/O error",
      "2:usage error",
      "3:more than --max-errors products failed: the run stopped early"
    })
public final class IndexCommand implements Callable<Integer> {

  /** Exit code when {@code --max-errors} is exceeded. */
  public static final int EXIT_TOO_MANY_ERRORS = 3;

  private final Map<String, String> env;
  private final Path userHome;

  @Spec CommandSpec spec;

  @Option(
      names = "--catalog",
      required = true,
      paramLabel = "FILE",
      description = "The catalog: .jsonl/.ndjson/.json, .csv or .tsv, optionally .gz.")
  Path catalog;

  @Option(
      names = "--index",
      required = true,
      paramLabel = "DIR",
      description = "The index directory; created if missing.")
  Path index;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR|NAME",
      description = "A model directory, or the name of a cached model (clipsearch models list).")
  String model;

  @Option(
      names = "--device",
      paramLabel = "auto|cpu|cuda[:N]",
      defaultValue = "auto",
      description = "Where the model runs (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "32",
      description = "Images per model call (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Decode/preprocess threads (default: one per core).")
  Integer threads;

  @Option(
      names = "--fetch-threads",
      paramLabel = "N",
      defaultValue = "8",
      description = "Threads reading or downloading images (default: ${DEFAULT-VALUE}).")
  int fetchThreads;

  @Option(
      names = "--model-threads",
      paramLabel = "N",
      defaultValue = "0",
      description = "ONNX Runtime intra-op threads; 0 lets it choose (default: ${DEFAULT-VALUE}).")
  int modelThreads;

  @Option(
      names = "--prune",
      description =
          "Delete indexed products that are not in the catalog (only after a complete" + " run).")
  boolean prune;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description = "Write every failed product with its reason, and a summary, as JSON.")
  Path report;

  @Option(
      names = "--max-errors",
      paramLabel = "N",
      description = "Stop (exit code 3) once more than N products failed.")
  Long maxErrors;

  @Option(
      names = "--rehash",
      description =
          "Read every image and compare its SHA-256 with the indexed one, instead of"
              + " trusting an unchanged file size and time, or an unchanged URL.")
  boolean rehash;

  @Option(
      names = "--catalog-format",
      paramLabel = "jsonl|csv|tsv",
      description = "The catalog's format when its name does not tell.")
  CatalogFormat catalogFormat;

  @Option(
      names = "--commit-every",
      paramLabel = "N",
      defaultValue = "5000",
      description = "Commit after N written products (default: ${DEFAULT-VALUE})…")
  int commitEvery;

  @Option(
      names = "--commit-interval",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description = "…or after SECONDS, whichever comes first (default: ${DEFAULT-VALUE}).")
  int commitIntervalSeconds;

  @Option(
      names = "--quantization",
      paramLabel = "none|int8|int4|binary",
      description = "New index only: how HNSW stores vectors (default: none).")
  String quantization;

  @Option(
      names = "--hnsw-m",
      paramLabel = "N",
      description = "New index only: HNSW connections per node (default: 16).")
  Integer hnswM;

  @Option(
      names = "--hnsw-beam-width",
      paramLabel = "N",
      description = "New index only: HNSW build beam width (default: 100).")
  Integer hnswBeamWidth;

  @Option(
      names = "--thumbnail-size",
      paramLabel = "PX",
      description =
          "New index only: longer side of stored JPEG thumbnails, 0 for none" + " (default: 128).")
  Integer thumbnailSize;

  @Option(
      names = "--max-image-bytes",
      paramLabel = "BYTES",
      description = "Larger image files are rejected (default: 33554432, 32 MiB).")
  Long maxImageBytes;

  @Option(
      names = "--max-pixels",
      paramLabel = "N",
      description =
          "Images whose header declares more pixels are rejected before decoding"
              + " (default: 64000000).")
  Long maxPixels;

  @Option(
      names = "--decode",
      paramLabel = "exact|fast",
      defaultValue = "exact",
      description =
          "exact: decode photos at full size, as the CLIP reference does; fast: decode large JPEGs"
              + " at a reduced DCT scale (several times faster, under one 8-bit level of"
              + " difference on average). Default: ${DEFAULT-VALUE}.")
  String decode;

  @Option(
      names = "--http-timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "Timeout of one image download (default: ${DEFAULT-VALUE}).")
  int httpTimeoutSeconds;

  @Option(
      names = "--http-retries",
      paramLabel = "N",
      defaultValue = "2",
      description =
          "Retries of a download after a network error, 408, 429 or 5xx"
              + " (default: ${DEFAULT-VALUE}).")
  int httpRetries;

  @Option(
      names = "--per-host",
      paramLabel = "N",
      defaultValue = "4",
      description = "Most downloads in flight to one host (default: ${DEFAULT-VALUE}).")
  int perHost;

  @Option(
      names = "--ram-buffer-mb",
      paramLabel = "MB",
      defaultValue = "256",
      description = "Lucene indexing buffer (default: ${DEFAULT-VALUE}).")
  double ramBufferMb;

  @Option(names = "--no-progress", description = "No progress bar; periodic log lines only.")
  boolean noProgress;

  /** The command as the launcher runs it: the process environment for the model cache. */
  public IndexCommand() {
    this(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /** The command with its environment given explicitly (tests). */
  IndexCommand(Map<String, String> env, Path userHome) {
    this.env = Map.copyOf(env);
    this.userHome = userHome;
  }

  @Override
  public Integer call() throws Exception {
    IndexJob job = job();
    try {
      return run(job, spec.commandLine().getOut(), spec.commandLine().getErr());
    } catch (SettingsConflictException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** The run the options ask for. */
  IndexJob job() {
    IndexingConfig config = indexingConfig();
    IndexJob.RequestedSettings settings = requestedSettings();
    FetchConfig fetchConfig = fetchConfig();
    RuntimeOptions runtime = runtimeOptions();
    ImageLimits limits;
    try {
      limits = maxPixels == null ? ImageLimits.DEFAULT : new ImageLimits(maxPixels);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--max-pixels: " + e.getMessage());
    }
    DecodeMode decodeMode = decodeMode();
    Path modelDir = resolveModel();
    try {
      return new IndexJob(
          index,
          modelDir,
          runtime,
          config,
          settings,
          fetchConfig,
          limits,
          decodeMode,
          ramBufferMb,
          report,
          ProgressBar.shouldRedraw(noProgress, env, ProgressBar.consoleIsTerminal()));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /**
   * Runs one indexing job to the end: opens (or creates) the index, loads the model, indexes the
   * catalog with a progress bar on {@code err}, and prints the summary on {@code out}. Ctrl-C stops
   * reading, finishes and commits what is in flight. Failures to start (the model, the index, the
   * catalog) are printed on {@code err} and returned as exit code 1.
   *
   * @return 0 when done, 1 on a fatal error, {@link #EXIT_TOO_MANY_ERRORS} when more products
   *     failed than the job allows
   * @throws InterruptedException when the calling thread is interrupted while indexing
   * @throws SettingsConflictException when the job asks for creation settings that an existing
   *     index has otherwise
   */
  public static int run(IndexJob job, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    try {
      return indexCatalog(job, out, err, done);
    } finally {
      done.countDown();
    }
  }

  private static int indexCatalog(
      IndexJob job, PrintWriter out, PrintWriter err, CountDownLatch done)
      throws InterruptedException {
    IndexingConfig config = job.indexing();
    RuntimeOptions runtime = job.runtime();
    Path index = job.index();
    long estimate = Catalogs.estimateProducts(config.catalog(), config.format());

    try (ClipModel clip = ClipModels.load(job.modelDir(), runtime);
        CatalogIndex catalogIndex =
            CatalogIndex.openOrCreate(
                index,
                clip.spec(),
                job.settings().forNewIndex(),
                job.ramBufferMb(),
                Clock.systemUTC());
        ImageFetcher fetcher = new ImageFetcher(job.fetch());
        JsonReportWriter reportWriter = job.report() == null ? null : startReport(job, clip)) {
      checkExplicitSettings(job, catalogIndex);
      IndexMetadata metadata = catalogIndex.metadata();
      err.println(
          (catalogIndex.created() ? "created" : "opened")
              + " index "
              + index
              + " (model "
              + metadata.describeModel()
              + ", quantization "
              + metadata.settings().quantization().code()
              + ", hnsw m="
              + metadata.settings().hnswM()
              + " beam="
              + metadata.settings().hnswBeamWidth()
              + ")");
      err.println(
          "indexing "
              + config.catalog()
              + " ("
              + config.format().name().toLowerCase(Locale.ROOT)
              + (estimate >= 0 ? ", about " + ProgressBar.formatCount(estimate) + " products" : "")
              + ") with "
              + config.decodeThreads()
              + " decode threads, "
              + config.fetchThreads()
              + " fetch threads, batch "
              + config.batchSize()
              + ", device "
              + runtime.device());
      int thumbnails = metadata.settings().thumbnailSize();
      DecodeMode decodeMode = job.decodeMode();
      ImageDecoder decoder =
          decodeMode.decoder(
              new ImageDecoder(job.imageLimits()), clip.spec().preprocess().size(), thumbnails);
      err.println("decode " + decodeMode.code() + ": JPEG through " + decoder.jpegDecoder());
      ImagePipeline processor =
          new ImagePipeline(
              decoder,
              new ClipImagePreprocessor(clip.spec().preprocess()),
              thumbnails == 0 ? null : new Thumbnailer(thumbnails, Thumbnailer.DEFAULT_QUALITY));
      FailureListener failures = reportWriter == null ? FailureListener.NONE : reportWriter::write;
      IndexingResult result;
      try (ProgressBar bar = progressBar(estimate, job.redrawProgress(), err)) {
        AtomicLong shown = new AtomicLong();
        ProgressListener progress =
            p -> bar.advance(p.processed() - shown.getAndSet(p.processed()));
        BulkIndexer indexer =
            new BulkIndexer(config, catalogIndex, clip, fetcher, processor, progress, failures);
        Thread hook =
            new Thread(
                () -> {
                  // Ctrl-C: stop reading, let in-flight products finish, commit, print the
                  // summary; then the JVM may exit.
                  if (indexer.isRunning()) {
                    indexer.requestStop("interrupted");
                    try {
                      done.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                },
                "clipsearch-index-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
          result = indexer.run();
        } finally {
          removeHook(hook);
        }
      }
      RunSummary.lines(result).forEach(out::println);
      if (reportWriter != null) {
        reportWriter.finish(result.summary());
        out.println("report: " + reportWriter.path());
      }
      out.flush();
      if (result.outcome() == IndexingResult.Outcome.CATALOG_INCOMPLETE) {
        return 1;
      }
      if (config.maxErrors() >= 0 && result.counts().failed() > config.maxErrors()) {
        err.println(
            "clipsearch index: "
                + result.counts().failed()
                + " products failed, more than --max-errors "
                + config.maxErrors());
        return EXIT_TOO_MANY_ERRORS;
      }
      return 0;
    } catch (ModelLoadException e) {
      err.println("clipsearch index: cannot load the model: " + e.getMessage());
      return 1;
    } catch (IndexOpenException e) {
      err.println("clipsearch index: " + e.getMessage());
      return 1;
    } catch (IndexingException e) {
      err.println("clipsearch index: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("clipsearch index: " + e);
      return 1;
    }
  }

  private IndexingConfig indexingConfig() {
    if (!Files.isRegularFile(catalog)) {
      throw new ParameterException(spec.commandLine(), "--catalog: no such file: " + catalog);
    }
    CatalogFormat format;
    try {
      format = catalogFormat != null ? catalogFormat : CatalogFormat.detect(catalog);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--catalog: " + e.getMessage());
    }
    try {
      return IndexingConfig.defaults(catalog, format)
          .withBatchSize(batchSize)
          .withThreads(
              threads != null ? threads : Math.max(1, Runtime.getRuntime().availableProcessors()),
              fetchThreads)
          .withCommits(commitEvery, Duration.ofSeconds(Math.max(1, commitIntervalSeconds)))
          .withPrune(prune)
          .withMaxErrors(maxErrors == null ? -1 : maxErrors)
          .withRehash(rehash)
          .withProgressInterval(IndexJob.PROGRESS_INTERVAL);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private DecodeMode decodeMode() {
    try {
      return DecodeMode.parse(decode);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--decode: " + e.getMessage());
    }
  }

  private IndexJob.RequestedSettings requestedSettings() {
    try {
      return new IndexJob.RequestedSettings(
          quantization == null ? null : Quantization.fromCode(quantization),
          hnswM,
          hnswBeamWidth,
          thumbnailSize);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** Creation-only settings asked for an existing index must match it: they cannot change. */
  private static void checkExplicitSettings(IndexJob job, CatalogIndex opened) {
    if (opened.created()) {
      return;
    }
    List<String> conflicts = job.settings().conflictsWith(opened.metadata().settings());
    if (!conflicts.isEmpty()) {
      throw new SettingsConflictException(
          "index "
              + job.index()
              + " already exists with other settings, which are fixed at creation: "
              + String.join(", ", conflicts)
              + ". Drop these options, or index into a new directory.");
    }
  }

  /** The job asks for creation settings that the existing index has otherwise. */
  public static final class SettingsConflictException extends RuntimeException {
    SettingsConflictException(String message) {
      super(message);
    }
  }

  private FetchConfig fetchConfig() {
    try {
      FetchConfig c =
          FetchConfig.DEFAULTS
              .withTimeouts(
                  FetchConfig.DEFAULTS.connectTimeout(),
                  Duration.ofSeconds(Math.max(1, httpTimeoutSeconds)))
              .withRetry(FetchConfig.DEFAULTS.retry().withMaxAttempts(1 + Math.max(0, httpRetries)))
              .withPerHostConcurrency(perHost);
      return maxImageBytes == null ? c : c.withMaxBytes(maxImageBytes);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private RuntimeOptions runtimeOptions() {
    try {
      return RuntimeOptions.defaults()
          .withDevice(Device.parse(device))
          .withBatchSize(batchSize)
          .withIntraOpThreads(modelThreads);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private Path resolveModel() {
    try {
      return ModelsConfig.fromEnvironment(env, userHome)
          .cache(ModelRegistry.builtIn())
          .resolve(model);
    } catch (ModelNotFoundException | IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--model: " + e.getMessage());
    }
  }

  private static JsonReportWriter startReport(IndexJob job, ClipModel clip) throws IOException {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("catalog", job.indexing().catalog().toAbsolutePath().toString());
    run.put("index", job.index().toAbsolutePath().toString());
    run.put("model", clip.id());
    run.put("started", Instant.now().toString());
    return JsonReportWriter.create(job.report(), run);
  }

  private static ProgressBar progressBar(long estimate, boolean redraw, PrintWriter err) {
    ProgressBar.Builder builder = ProgressBar.builder("products").redraw(redraw).output(err);
    if (estimate > 0) {
      builder.total(estimate);
    }
    return builder.start();
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook is running
    }
  }
}
