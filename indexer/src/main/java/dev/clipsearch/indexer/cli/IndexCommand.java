package dev.clipsearch.indexer.cli;

import dev.clipsearch.indexer.catalog.CatalogFormat;
import dev.clipsearch.indexer.catalog.Catalogs;
import dev.clipsearch.indexer.fetch.FetchConfig;
import dev.clipsearch.indexer.fetch.ImageFetcher;
import dev.clipsearch.indexer.image.ClipImageProcessor;
import dev.clipsearch.indexer.image.Thumbnailer;
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
import dev.clipsearch.models.cli.ProgressBar;
import dev.clipsearch.models.hub.ModelNotFoundException;
import dev.clipsearch.models.hub.ModelRegistry;
import dev.clipsearch.models.image.ClipImagePreprocessor;
import dev.clipsearch.models.image.DecodeMode;
import dev.clipsearch.models.image.ImageDecoder;
import dev.clipsearch.models.image.ImageLimits;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * {@code clipsearch index}: a catalog into a search index, incrementally. Builds the immutable
 * configuration ({@link IndexingConfig}, {@link IndexSettings}, {@link FetchConfig}, {@link
 * RuntimeOptions}) from the options, logs it, wires the stages and runs a {@link BulkIndexer}.
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
      paramLabel = "none|int8|int4",
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

  private final CountDownLatch commandDone = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    try {
      return indexCatalog();
    } finally {
      commandDone.countDown();
    }
  }

  private int indexCatalog() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    IndexingConfig config = indexingConfig();
    IndexSettings requested = requestedSettings();
    FetchConfig fetchConfig = fetchConfig();
    RuntimeOptions runtime = runtimeOptions();
    ImageLimits limits = maxPixels == null ? ImageLimits.DEFAULT : new ImageLimits(maxPixels);
    DecodeMode decodeMode = decodeMode();
    Path modelDir = resolveModel();
    long estimate = Catalogs.estimateProducts(config.catalog(), config.format());

    try (ClipModel clip = ClipModels.load(modelDir, runtime);
        CatalogIndex catalogIndex =
            CatalogIndex.openOrCreate(
                index, clip.spec(), requested, ramBufferMb, Clock.systemUTC());
        ImageFetcher fetcher = new ImageFetcher(fetchConfig);
        JsonReportWriter reportWriter = report == null ? null : startReport(config, clip)) {
      checkExplicitSettings(catalogIndex);
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
      ImageDecoder decoder =
          decodeMode.decoder(new ImageDecoder(limits), clip.spec().preprocess().size(), thumbnails);
      err.println("decode " + decodeMode.code() + ": JPEG through " + decoder.jpegDecoder());
      ClipImageProcessor processor =
          new ClipImageProcessor(
              decoder,
              new ClipImagePreprocessor(clip.spec().preprocess()),
              thumbnails == 0 ? null : new Thumbnailer(thumbnails, Thumbnailer.DEFAULT_QUALITY));
      FailureListener failures = reportWriter == null ? FailureListener.NONE : reportWriter::write;
      IndexingResult result;
      try (ProgressBar bar = progressBar(estimate)) {
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
                      commandDone.await(60, TimeUnit.SECONDS);
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
      if (maxErrors != null && result.failed() > maxErrors) {
        err.println(
            "clipsearch index: "
                + result.failed()
                + " products failed, more than --max-errors "
                + maxErrors);
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
          .withProgressInterval(Duration.ofMillis(250));
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

  private IndexSettings requestedSettings() {
    try {
      IndexSettings s = IndexSettings.DEFAULTS;
      if (quantization != null) {
        s = s.withQuantization(Quantization.fromCode(quantization));
      }
      s =
          s.withHnsw(
              hnswM != null ? hnswM : s.hnswM(),
              hnswBeamWidth != null ? hnswBeamWidth : s.hnswBeamWidth());
      if (thumbnailSize != null) {
        s = s.withThumbnailSize(thumbnailSize);
      }
      return s;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** Creation-only options given for an existing index must match it: they cannot change. */
  private void checkExplicitSettings(CatalogIndex opened) {
    if (opened.created()) {
      return;
    }
    IndexSettings actual = opened.metadata().settings();
    List<String> conflicts = new ArrayList<>();
    if (quantization != null && Quantization.fromCode(quantization) != actual.quantization()) {
      conflicts.add(
          "--quantization " + quantization + " (index: " + actual.quantization().code() + ")");
    }
    if (hnswM != null && hnswM != actual.hnswM()) {
      conflicts.add("--hnsw-m " + hnswM + " (index: " + actual.hnswM() + ")");
    }
    if (hnswBeamWidth != null && hnswBeamWidth != actual.hnswBeamWidth()) {
      conflicts.add(
          "--hnsw-beam-width " + hnswBeamWidth + " (index: " + actual.hnswBeamWidth() + ")");
    }
    if (thumbnailSize != null && thumbnailSize != actual.thumbnailSize()) {
      conflicts.add(
          "--thumbnail-size " + thumbnailSize + " (index: " + actual.thumbnailSize() + ")");
    }
    if (!conflicts.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "index "
              + index
              + " already exists with other settings, which are fixed at creation: "
              + String.join(", ", conflicts)
              + ". Drop these options, or index into a new directory.");
    }
  }

  private FetchConfig fetchConfig() {
    try {
      FetchConfig c =
          FetchConfig.DEFAULTS
              .withTimeouts(
                  FetchConfig.DEFAULTS.connectTimeout(),
                  Duration.ofSeconds(Math.max(1, httpTimeoutSeconds)))
              .withRetries(1 + Math.max(0, httpRetries), FetchConfig.DEFAULTS.retryBackoff())
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

  private JsonReportWriter startReport(IndexingConfig config, ClipModel clip) throws IOException {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("catalog", config.catalog().toAbsolutePath().toString());
    run.put("index", index.toAbsolutePath().toString());
    run.put("model", clip.id());
    run.put("started", Instant.now().toString());
    return JsonReportWriter.create(report, run);
  }

  private ProgressBar progressBar(long estimate) {
    ProgressBar.Builder builder =
        ProgressBar.builder("products")
            .redraw(ProgressBar.shouldRedraw(noProgress, env, ProgressBar.consoleIsTerminal()))
            .output(spec.commandLine().getErr());
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
