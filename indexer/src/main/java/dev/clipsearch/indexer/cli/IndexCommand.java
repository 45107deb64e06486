package dev.clipsearch.indexer.cli;

import dev.clipsearch.common.cli.ProgressBar;
import dev.clipsearch.indexer.catalog.CatalogFormat;
import dev.clipsearch.indexer.catalog.Catalogs;
import dev.clipsearch.indexer.fetch.FetchConfig;
import dev.clipsearch.indexer.fetch.ImageFetcher;
import dev.clipsearch.indexer.index.IndexOpenException;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.index.ModelMismatchException;
import dev.clipsearch.indexer.index.Quantization;
import dev.clipsearch.indexer.pipeline.BulkIndexer;
import dev.clipsearch.indexer.pipeline.FailureListener;
import dev.clipsearch.indexer.pipeline.IndexingConfig;
import dev.clipsearch.indexer.pipeline.IndexingException;
import dev.clipsearch.indexer.pipeline.IndexingResult;
import dev.clipsearch.indexer.pipeline.Partition;
import dev.clipsearch.indexer.pipeline.ProgressListener;
import dev.clipsearch.indexer.report.JsonReportWriter;
import dev.clipsearch.indexer.store.CatalogStore;
import dev.clipsearch.indexer.tag.AttributeFile;
import dev.clipsearch.indexer.tag.AttributeFileException;
import dev.clipsearch.indexer.tag.AttributeTagger;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.Variant;
import dev.clipsearch.models.cli.ModelsConfig;
import dev.clipsearch.models.hub.ModelNotFoundException;
import dev.clipsearch.models.hub.ModelRegistry;
import dev.clipsearch.models.image.ClipImagePreprocessor;
import dev.clipsearch.models.image.DecodeMode;
import dev.clipsearch.models.image.ImageDecoder;
import dev.clipsearch.models.image.ImageLimits;
import dev.clipsearch.models.image.ImagePipeline;
import dev.clipsearch.models.image.Thumbnailer;
import dev.clipsearch.models.onnx.OnnxClipModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
 * <p>Over 400 lines because of its thirty-odd option declarations with their help text; the rest is
 * the wiring, and the pipeline itself lives in {@code indexer.pipeline}.
 */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Index a product catalog (JSON Lines or CSV) into an index directory (--index DIR) or a"
          + " SolrCloud collection (--solr URL --collection NAME): image vectors in HNSW, text"
          + " fields, facets, thumbnails.",
      "Incremental: unchanged products are skipped without reading their images, changed ones"
          + " reuse the vectors of unchanged images. Crash-safe: commits every --commit-every"
          + " products; rerun after a crash to finish the job.",
      "Ctrl-C stops reading, finishes and commits what is in flight."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done (failed products, if any, are listed in the summary and the report)",
      "1:fatal error: unreadable catalog, unusable index or model, Solr unreachable, I/O error",
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

  @Mixin StoreOptions store;

  @Option(
      names = "--shards",
      paramLabel = "N",
      description = "With --solr, when the collection is created: its shards (default: 1).")
  Integer shards;

  @Option(
      names = "--replicas",
      paramLabel = "R",
      description =
          "With --solr, when the collection is created: copies of each shard (default: 1).")
  Integer replicas;

  @Option(
      names = "--merge",
      description =
          "With --solr, after a complete run: merge each shard's index into one segment (one HNSW"
              + " graph per shard, the fastest to search; long on a large collection).")
  boolean merge;

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
      description =
          "Images per model call. Default by device: 32 on the CPU (a CPU gains little per image"
              + " past 8 to 32), 128 on CUDA (1.1 TFLOP of ViT-B/32 work per call, enough to fill"
              + " a GPU, while the batch's 77 MB still copy to it in milliseconds).")
  Integer batchSize;

  @Option(
      names = "--encoder-sessions",
      paramLabel = "N",
      description =
          "ONNX Runtime image sessions encoding batches at once. Default by device: 1 on the CPU"
              + " (one call already uses every core), 2 on CUDA (one session copies while the"
              + " other computes; each holds a copy of the weights on the GPU).")
  Integer encoderSessions;

  @Option(
      names = "--precision",
      paramLabel = "fp32|fp16",
      description =
          "The model's ONNX variant. Default: fp16 on CUDA when the model directory has an fp16"
              + " export (onnx/*_fp16.onnx), else fp32. An index keeps the precision it was built"
              + " with: fp16 and fp32 vectors carry different model ids.")
  String precision;

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
      names = "--writers",
      paramLabel = "N",
      description =
          "Threads writing encoded products to the index at once (default: 1). Each builds its"
              + " own HNSW graph, and merges join them on every core: on 2 cores one writer"
              + " measured faster (docs/benchmarks.md); with --solr they send update requests at"
              + " once.")
  Integer writers;

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
      names = "--partition",
      paramLabel = "I/N",
      converter = PartitionConverter.class,
      description =
          "Encode and write only partition I of N (I is 0-based: 0..N-1) by a stable hash of the"
              + " product id (SHA-256), so that N machines index one catalog together; with"
              + " --prune, only ids of this partition are pruned (default: the whole catalog).")
  Partition partition = Partition.ALL;

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

  @Option(
      names = "--attributes",
      paramLabel = "FILE",
      description =
          "Give new and changed products zero-shot attributes (attr.<name>) from their vectors as"
              + " they are written, with the default thresholds of 'clipsearch tag' (which"
              + " retags every product). The file format is described in 'clipsearch tag --help'.")
  Path attributes;

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
    if (merge && !(job.store() instanceof StoreTarget.Solr)) {
      throw new ParameterException(
          spec.commandLine(), "--merge needs --solr (the embedded index merges as it writes)");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int exit;
    try {
      exit = run(job, out, err);
    } catch (SettingsConflictException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (exit == 0 && merge) {
      try {
        SolrStores.merge((StoreTarget.Solr) job.store(), out);
      } catch (IOException e) {
        err.println(
            "clipsearch index: the merge failed (the products are indexed): " + e.getMessage());
        return 1;
      }
    }
    return exit;
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
          storeTarget(),
          modelDir,
          runtime,
          config,
          settings,
          fetchConfig,
          limits,
          decodeMode,
          ramBufferMb,
          report,
          ProgressBar.shouldRedraw(noProgress, env, ProgressBar.consoleIsTerminal()),
          attributeFile());
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
    IndexingConfig requested = job.indexing();
    RuntimeOptions runtime = job.runtime();
    long estimate =
        requested
            .partition()
            .share(Catalogs.estimateProducts(requested.catalog(), requested.format()));

    try (ClipModel clip = ClipModels.load(job.modelDir(), runtime);
        OpenedCatalogStore store = OpenedCatalogStore.open(job, clip.spec());
        ImageFetcher fetcher = new ImageFetcher(job.fetch());
        JsonReportWriter reportWriter =
            job.report() == null ? null : startReport(job, clip, store.store())) {
      RuntimeOptions used = clip instanceof OnnxClipModel onnx ? onnx.runtime() : runtime;
      IndexingConfig config =
          runtime.batchSize() == RuntimeOptions.BY_DEVICE && used.batchSize() > 0
              ? requested.withBatchSize(used.batchSize())
              : requested;
      err.println(store.description());
      err.println(
          "indexing "
              + config.catalog()
              + " ("
              + config.format().name().toLowerCase(Locale.ROOT)
              + (estimate >= 0 ? ", about " + ProgressBar.formatCount(estimate) + " products" : "")
              + (config.partition().isAll() ? "" : ", partition " + config.partition())
              + ") with "
              + config.decodeThreads()
              + " decode threads, "
              + config.fetchThreads()
              + " fetch threads, "
              + config.writeThreads()
              + (config.writeThreads() == 1 ? " writer thread" : " writer threads")
              + ", batch "
              + config.batchSize()
              + ", device "
              + used.device()
              + ", "
              + used.encoderSessions()
              + (used.encoderSessions() == 1 ? " encoder session" : " encoder sessions")
              + ", precision "
              + (used.variant() == null ? "fp32" : used.variant()));
      int thumbnails = store.thumbnailSize();
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
      AttributeTagger tagger = null;
      if (job.attributes() != null) {
        tagger =
            new AttributeTagger(
                job.attributes(),
                clip,
                AttributeTagger.DEFAULT_MIN_CONFIDENCE,
                AttributeTagger.DEFAULT_MIN_MARGIN);
        err.println(
            "tagging new and changed products with "
                + job.attributes().attributes().size()
                + " attributes from "
                + job.attributes().source()
                + " (unchanged products keep theirs; clipsearch tag retags every product)");
      }
      IndexingResult result;
      try (ProgressBar bar = progressBar(estimate, job.redrawProgress(), err)) {
        AtomicLong shown = new AtomicLong();
        ProgressListener progress =
            p -> bar.advance(p.processed() - shown.getAndSet(p.processed()));
        BulkIndexer indexer =
            new BulkIndexer(
                config, store.store(), clip, fetcher, processor, progress, failures, tagger);
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
      err.println("clipsearch index: " + e.getMessage() + precisionHint(runtime, e));
      return 1;
    } catch (IndexingException e) {
      err.println("clipsearch index: " + e.getMessage() + precisionHint(runtime, e.getCause()));
      return 1;
    } catch (IOException e) {
      err.println("clipsearch index: " + e);
      return 1;
    }
  }

  /**
   * When the index holds another model's vectors and the precision was left to the device: fp16 and
   * fp32 vectors of one model carry different ids, so a GPU run may choose a precision the index
   * was not built with.
   */
  private static String precisionHint(RuntimeOptions runtime, Throwable failure) {
    return failure instanceof ModelMismatchException && runtime.variant() == null
        ? " (--precision was left to the device, which picks fp16 on CUDA when the model has it:"
            + " an index built at the other precision needs --precision fp32 or fp16)"
        : "";
  }

  private StoreTarget storeTarget() {
    StoreTarget target = store.target(shards, replicas);
    if (target instanceof StoreTarget.Embedded && (shards != null || replicas != null)) {
      throw new ParameterException(
          spec.commandLine(), "--shards and --replicas need --solr (they lay out a collection)");
    }
    return target;
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
          // left to the device: a placeholder until the model is loaded, see indexCatalog
          .withBatchSize(batchSize != null ? batchSize : RuntimeOptions.CPU_BATCH_SIZE)
          .withThreads(
              threads != null ? threads : Math.max(1, Runtime.getRuntime().availableProcessors()),
              fetchThreads)
          .withWriteThreads(writers != null ? writers : 1)
          .withCommits(commitEvery, Duration.ofSeconds(Math.max(1, commitIntervalSeconds)))
          .withPrune(prune)
          .withMaxErrors(maxErrors == null ? -1 : maxErrors)
          .withRehash(rehash)
          .withPartition(partition)
          .withProgressInterval(IndexJob.PROGRESS_INTERVAL);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private AttributeFile attributeFile() {
    if (attributes == null) {
      return null;
    }
    try {
      return AttributeFile.read(attributes);
    } catch (AttributeFileException e) {
      throw new ParameterException(spec.commandLine(), "--attributes: " + e.getMessage());
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

  /** The job asks for creation settings that the existing index has otherwise. */
  public static final class SettingsConflictException extends RuntimeException {
    public SettingsConflictException(String message) {
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
    if (encoderSessions != null && encoderSessions < 1) {
      throw new ParameterException(
          spec.commandLine(), "--encoder-sessions must be 1 or more, got " + encoderSessions);
    }
    try {
      Variant variant = null;
      if (precision != null) {
        variant = Variant.parse(precision);
        if (variant == Variant.QUANTIZED) {
          throw new IllegalArgumentException(
              "--precision: expected fp32 or fp16, got " + precision);
        }
      }
      return RuntimeOptions.byDevice()
          .withDevice(Device.parse(device))
          .withBatchSize(batchSize != null ? batchSize : RuntimeOptions.BY_DEVICE)
          .withEncoderSessions(encoderSessions != null ? encoderSessions : RuntimeOptions.BY_DEVICE)
          .withVariant(variant)
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

  private static JsonReportWriter startReport(IndexJob job, ClipModel clip, CatalogStore store)
      throws IOException {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("catalog", job.indexing().catalog().toAbsolutePath().toString());
    run.put(
        "index",
        job.store() instanceof StoreTarget.Embedded embedded
            ? embedded.dir().toAbsolutePath().toString()
            : store.location());
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

  /** Parses {@code --partition I/N}; a bad value names what is wrong with it. */
  static final class PartitionConverter implements picocli.CommandLine.ITypeConverter<Partition> {
    @Override
    public Partition convert(String value) {
      try {
        return Partition.parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
