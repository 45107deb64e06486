package dev.clipsearch.searcher.cli;

import dev.clipsearch.common.cli.ProgressBar;
import dev.clipsearch.indexer.cli.SolrStores;
import dev.clipsearch.indexer.cli.StoreOptions;
import dev.clipsearch.indexer.cli.StoreTarget;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexOpenException;
import dev.clipsearch.indexer.index.search.LuceneSearchStore;
import dev.clipsearch.indexer.store.SearchStore;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.cli.ModelsConfig;
import dev.clipsearch.models.offline.OfflineModel;
import dev.clipsearch.searcher.audit.AuditFiles;
import dev.clipsearch.searcher.audit.AuditReport;
import dev.clipsearch.searcher.audit.AuditSettings;
import dev.clipsearch.searcher.audit.CatalogAudit;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code clipsearch audit --index DIR} (or {@code --solr URL --collection NAME}): checks a
 * catalog's index for products filed under the wrong category, the same photo on several products
 * and placeholder images, from the stored vectors ({@link CatalogAudit}), and writes {@code
 * audit.json} and a self-contained {@code audit.html}.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Audit a catalog from its index: products whose images look like another of the catalog's"
          + " categories, near-duplicate images across products, placeholder-looking images.",
      "Uses the stored image vectors (no image is encoded again) and the model's text encoder for"
          + " the prompts. Writes audit.json and audit.html (self-contained, opens from disk)."
    })
public final class AuditCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin StoreOptions store;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Where audit.json and audit.html are written (created when missing).")
  Path out;

  @Option(
      names = "--model",
      paramLabel = "DIR|NAME",
      description =
          "The model that built the store: a model directory or a cached model's name (default:"
              + " the model the store names, from the model cache, or the offline model).")
  String model;

  @Option(
      names = "--duplicate-threshold",
      defaultValue = "0.95",
      paramLabel = "C",
      description =
          "Cosine from which two images of different products are near-duplicates (default:"
              + " ${DEFAULT-VALUE}).")
  double duplicateThreshold;

  @Option(
      names = "--category-margin",
      defaultValue = "0.2",
      paramLabel = "P",
      description =
          "Probability by which another category must beat the stored one (default:"
              + " ${DEFAULT-VALUE}).")
  double categoryMargin;

  @Option(
      names = "--placeholder-margin",
      defaultValue = "0.2",
      paramLabel = "P",
      description =
          "Probability by which a placeholder prompt must beat the product's own title and"
              + " category (default: ${DEFAULT-VALUE}).")
  double placeholderMargin;

  @Option(
      names = "--category-prompt",
      defaultValue = "a photo of {}",
      paramLabel = "TEXT",
      description =
          "How a category is put to the text encoder, {} standing for its last level (default:"
              + " '${DEFAULT-VALUE}').")
  String categoryPrompt;

  @Option(
      names = "--limit",
      defaultValue = "200",
      paramLabel = "N",
      description = "At most N entries per section in the report (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      paramLabel = "auto|cpu|cuda[:N]",
      description = "Where the text encoder runs (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--no-progress", description = "Plain progress lines instead of a bar.")
  boolean noProgress;

  private final Map<String, String> environment;
  private final Path userHome;

  /** The command as the launcher runs it: the process environment locates cached models. */
  public AuditCommand() {
    this(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  AuditCommand(Map<String, String> environment, Path userHome) {
    this.environment = Map.copyOf(environment);
    this.userHome = userHome;
  }

  @Override
  public Integer call() throws IOException {
    StoreTarget target = store.target();
    AuditSettings settings = settings();
    RuntimeOptions runtime = RuntimeOptions.defaults().withDevice(device());
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    Path modelDir;
    try {
      modelDir = modelDir(target);
    } catch (IndexOpenException | IllegalArgumentException e) {
      stderr.println("clipsearch audit: " + e.getMessage());
      return 1;
    }
    try (ClipModel clip = ClipModels.load(modelDir, runtime);
        SearchStore store = open(target, clip.spec())) {
      AuditReport report;
      try (ProgressBar bar =
          ProgressBar.builder("audit")
              .total(store.sizes().products())
              .redraw(
                  ProgressBar.shouldRedraw(
                      noProgress, environment, ProgressBar.consoleIsTerminal()))
              .output(stderr)
              .start()) {
        report = new CatalogAudit(clip, settings).run(store, bar::advance);
      }
      AuditFiles.write(report, out);
      stdout.println(summary(report, out));
      stdout.flush();
      return 0;
    } catch (IndexOpenException | ModelLoadException | IllegalArgumentException e) {
      stderr.println("clipsearch audit: " + e.getMessage());
      return 1;
    }
  }

  /** The closing line: what each section found and where the files are. */
  static String summary(AuditReport report, Path out) {
    AuditReport.Counts c = report.counts();
    return String.format(
        java.util.Locale.ROOT,
        "audit: %d products, %d images: %d category mismatches, %d near-duplicate groups (%d"
            + " images), %d placeholder-looking images; wrote %s and %s",
        c.products(),
        c.images(),
        c.categoryMismatches(),
        c.duplicateGroups(),
        c.duplicateImages(),
        c.placeholders(),
        out.resolve(AuditFiles.JSON_FILE),
        out.resolve(AuditFiles.HTML_FILE));
  }

  private AuditSettings settings() {
    try {
      return AuditSettings.defaults()
          .withDuplicateThreshold(duplicateThreshold)
          .withMargins(categoryMargin, placeholderMargin)
          .withLimit(limit)
          .withCategoryPrompt(categoryPrompt);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** The store, read-only, refusing one that another model built. */
  private static SearchStore open(StoreTarget target, ModelSpec model) throws IOException {
    return switch (target) {
      case StoreTarget.Embedded embedded ->
          LuceneSearchStore.open(embedded.dir(), model, false, Duration.ofHours(1));
      case StoreTarget.Solr solr -> SolrStores.openSearch(solr, model, false);
    };
  }

  /**
   * {@code --model} resolved, or the store's own model: the offline model when the store names it,
   * else the model cache's copy. The store is read first, so a missing index or an unreachable Solr
   * is reported before any model is looked for.
   */
  private Path modelDir(StoreTarget target) throws IOException {
    ModelsConfig models = ModelsConfig.fromEnvironment(environment, userHome);
    String storeModel =
        switch (target) {
          case StoreTarget.Embedded embedded -> CatalogIndex.readMetadata(embedded.dir()).modelId();
          case StoreTarget.Solr solr -> SolrStores.read(solr).metadata().modelId();
        };
    String name = model;
    if (name == null) {
      name = storeModel;
      if (name.equals(OfflineModel.NAME) || name.startsWith(OfflineModel.NAME + "-")) {
        return OfflineModel.install(
            models.home().resolve("offline-models").resolve(OfflineModel.NAME));
      }
    }
    return ServeCommand.modelResolver(environment, userHome).apply(name);
  }

  private Device device() {
    try {
      return Device.parse(device);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--device: " + e.getMessage());
    }
  }
}
