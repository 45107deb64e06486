package dev.clipsearch.cli.demo;

import dev.clipsearch.common.cli.ProgressBar;
import dev.clipsearch.indexer.catalog.CatalogFormat;
import dev.clipsearch.indexer.cli.IndexCommand;
import dev.clipsearch.indexer.cli.IndexJob;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.cli.ModelsCommand;
import dev.clipsearch.models.cli.ModelsConfig;
import dev.clipsearch.models.hub.ModelCache;
import dev.clipsearch.models.hub.ModelRegistry;
import dev.clipsearch.models.offline.OfflineModel;
import dev.clipsearch.sampledata.BuildSummary;
import dev.clipsearch.sampledata.CatalogSize;
import dev.clipsearch.sampledata.SampleCatalogBuilder;
import dev.clipsearch.sampledata.SampleCatalogConfig;
import dev.clipsearch.sampledata.SampleDataException;
import dev.clipsearch.sampledata.cli.SampleDataCommand;
import dev.clipsearch.searcher.cli.ServeCommand;
import dev.clipsearch.searcher.cli.ServeJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code clipsearch demo}: the sample catalog, a model, an index and the search page, in one
 * command. Each step is the same code as its own command ({@code sample-data build}, {@code models
 * fetch}, {@code index}, {@code serve}): indexing and serving run the typed {@link IndexJob} and
 * {@link ServeJob} the demo builds, as those commands run the ones they build from their options.
 * Each step is incremental: a second run finds everything in place and starts serving in seconds.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Builds the sample catalog if missing, chooses a model, indexes the catalog (incrementally)"
          + " and serves the search page.",
      "Model, in this order: --model; a model downloaded earlier (clipsearch models list); the"
          + " default CLIP model downloaded now, when Hugging Face is reachable; the offline model"
          + " that ships with clipsearch. The demo says which one it uses and why."
    })
public final class DemoCommand implements Callable<Integer> {

  /** Model ids of the generator's random-weight test models. */
  private static final Pattern RANDOM_MODEL = Pattern.compile("(^|[^a-z])random([^a-z]|$)");

  private final Map<String, String> env;
  private final Path userHome;
  private final Function<Path, Optional<Path>> offlineModel;

  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      paramLabel = "DIR|NAME",
      description = "Use this model directory or cached model (default: chosen as above).")
  String model;

  @Option(
      names = "--offline",
      description = "Never download a model; use a cached one or the offline model.")
  boolean offline;

  @Option(
      names = "--small",
      description = "Index the small sample catalog (200 products) instead of the full one.")
  boolean small;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Where the demo keeps its catalog and indexes (default: $CLIPSEARCH_HOME/demo).")
  Path dataDir;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "7070",
      description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--device",
      paramLabel = "auto|cpu|cuda[:N]",
      defaultValue = "auto",
      description = "Where the model runs (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--no-serve", description = "Prepare the catalog and the index, then exit.")
  boolean noServe;

  /** The command as the launcher runs it: the process environment, the bundled offline model. */
  public DemoCommand() {
    this(
        System.getenv(),
        Path.of(System.getProperty("user.home")),
        home ->
            Optional.of(
                OfflineModel.install(home.resolve("offline-models").resolve(OfflineModel.NAME))));
  }

  /**
   * The command with its environment given explicitly (tests).
   *
   * @param offlineModel installs the offline model under a clipsearch home, returning its
   *     directory; empty when there is none
   */
  DemoCommand(Map<String, String> env, Path userHome, Function<Path, Optional<Path>> offlineModel) {
    this.env = Map.copyOf(env);
    this.userHome = userHome;
    this.offlineModel = offlineModel;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ModelsConfig models;
    try {
      models = ModelsConfig.fromEnvironment(env, userHome);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Path data = dataDir != null ? dataDir : models.home().resolve("demo");
    Device target = device();

    long started = System.nanoTime();
    Path catalog;
    try {
      Path catalogDir =
          dataDir != null
              ? dataDir.resolve("catalog")
              : SampleDataCommand.defaultCatalogDir(
                  models.home()); // where `sample-data build` puts it
      catalog = sampleCatalog(models.home(), catalogDir, out);
    } catch (SampleDataException e) {
      err.println("clipsearch demo: cannot build the sample catalog: " + e.getMessage());
      return 1;
    }
    out.println("demo: catalog " + catalog + " ready in " + seconds(started));

    ModelChoice choice;
    try {
      choice = selector(models, err).choose(Optional.ofNullable(model), err);
    } catch (NoModelException e) {
      err.println("clipsearch demo: " + e.getMessage());
      return 1;
    }
    out.println(choice.describe());
    out.flush();

    Path index = indexDir(data, choice.name());
    long indexing = System.nanoTime();
    int indexed = IndexCommand.run(indexJob(catalog, index, choice, target), out, err);
    if (indexed != 0) {
      err.println("clipsearch demo: indexing failed (exit code " + indexed + "); see above");
      return indexed;
    }
    String modelId = CatalogIndex.readMetadata(index).describeModel();
    out.println("demo: index " + index + " ready in " + seconds(indexing) + " (" + modelId + ")");
    if (RANDOM_MODEL.matcher(modelId.toLowerCase(Locale.ROOT)).find()) {
      out.println(
          "demo: warning: "
              + choice.name()
              + " is a test model with random weights: its rankings mean nothing");
    }
    out.flush();
    if (noServe) {
      return 0;
    }
    out.println("demo: starting the search page; stop it with Ctrl-C");
    out.flush();
    return ServeCommand.serve(serveJob(catalog, index, choice, target), out, err);
  }

  private Path sampleCatalog(Path home, Path out, PrintWriter progress) {
    // Both sizes, as `sample-data build` writes them: either flag then finds the folder up to date.
    SampleCatalogConfig config =
        SampleCatalogConfig.defaults(SampleDataCommand.npmCacheDir(home), out);
    progress.println("demo: sample catalog in " + out);
    progress.flush();
    BuildSummary summary = new SampleCatalogBuilder(config).build();
    return summary.catalog(small ? CatalogSize.SMALL : CatalogSize.FULL);
  }

  private ModelSelector selector(ModelsConfig models, PrintWriter err) {
    ModelCache cache = models.cache(ModelRegistry.builtIn());
    ModelSelector.Fetcher fetcher =
        offline
            ? null
            : ref -> {
              // `models fetch` itself: its progress bar, resume, verification and messages.
              int code = run(new ModelsCommand(), List.of("fetch", ref.installName()));
              if (code != 0) {
                throw new ModelSelector.FetchFailedException(
                    "`clipsearch models fetch " + ref.installName() + "` failed (see above)");
              }
              return cache.resolve(ref.installName());
            };
    return new ModelSelector(
        cache, fetcher, models.endpoint().toString(), () -> offlineModel.apply(models.home()));
  }

  /** What `clipsearch index --catalog C --index I --model M --device D --prune` runs. */
  private IndexJob indexJob(Path catalog, Path index, ModelChoice choice, Device target) {
    IndexJob job =
        IndexJob.defaults(
            catalog, CatalogFormat.detect(catalog), index, choice.directory(), target);
    return job.withIndexing(job.indexing().withPrune(true))
        .withRedrawProgress(ProgressBar.shouldRedraw(false, env, ProgressBar.consoleIsTerminal()));
  }

  /**
   * What `clipsearch serve --index I --model M --device D --host H --port P --images-root R` runs,
   * admin routes on when the environment holds a token.
   */
  private ServeJob serveJob(Path catalog, Path index, ModelChoice choice, Device target) {
    try {
      return ServeJob.defaults(index, choice.directory(), host, port, target)
          .withImagesRoot(catalog.getParent())
          .withAdminToken(ServeCommand.adminToken(env));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private Device device() {
    try {
      return Device.parse(device);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--device: " + e.getMessage());
    }
  }

  /** Runs another command with this command's output streams. */
  private int run(Object command, List<String> args) {
    CommandLine line = new CommandLine(command);
    line.setOut(spec.commandLine().getOut());
    line.setErr(spec.commandLine().getErr());
    return line.execute(args.toArray(String[]::new));
  }

  private static String seconds(long startNanos) {
    return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startNanos) / 1e9);
  }

  /**
   * The demo's index for a model: one per model, since an index belongs to the model that made it.
   */
  static Path indexDir(Path data, String modelName) {
    return data.resolve("index").resolve(modelName);
  }
}
