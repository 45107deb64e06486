package dev.clipsearch.indexer.cli;

import dev.clipsearch.common.cli.ProgressBar;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexOpenException;
import dev.clipsearch.indexer.store.CatalogStore;
import dev.clipsearch.indexer.tag.AttributeFile;
import dev.clipsearch.indexer.tag.AttributeFileException;
import dev.clipsearch.indexer.tag.AttributeSpec;
import dev.clipsearch.indexer.tag.AttributeTagger;
import dev.clipsearch.indexer.tag.CatalogTagger;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.cli.ModelsConfig;
import dev.clipsearch.models.hub.ModelNotFoundException;
import dev.clipsearch.models.hub.ModelRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code clipsearch tag --index DIR --attributes FILE} (or {@code --solr URL --collection NAME}
 * instead of {@code --index}): zero-shot attributes ({@code attr.color}, {@code attr.material}…)
 * for every indexed product, from the image vectors the store already holds. Loads the model for
 * its text tower only (the prompts), never encodes an image, and replaces every attribute a product
 * had before. The work is {@link CatalogTagger}'s.
 */
@Command(
    name = "tag",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Give every indexed product zero-shot attributes (facets and filters attr.<name>) from the"
          + " image vectors already in the index: no image is read or encoded.",
      "Per attribute, each image's values are scored by a softmax over their prompts with the"
          + " model's logit scale; the product takes the value of its most confident image when"
          + " that value clears --min-confidence and beats the runner-up by --min-margin.",
      "Rerun with a changed file to replace the attributes: values and attributes no longer in"
          + " the file disappear. 'index --attributes FILE' tags new and changed products as it"
          + " indexes them."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:tagged",
      "1:no index there, Solr unreachable, an unusable model, or an I/O error",
      "2:usage error, or an invalid attributes file"
    })
public final class TagCommand implements Callable<Integer> {

  private final Map<String, String> env;
  private final Path userHome;

  @Spec CommandSpec spec;

  @Mixin StoreOptions store;

  @Option(
      names = "--attributes",
      required = true,
      paramLabel = "FILE",
      description =
          "One attribute a line: 'name: value, value, ...' with an optional '| prompt with {}'"
              + " (default prompt: '"
              + AttributeSpec.DEFAULT_TEMPLATE
              + "'); '#' starts a comment line.")
  Path attributes;

  @Option(
      names = "--model",
      paramLabel = "DIR|NAME",
      description =
          "The model that built the store (default: the model named in the store, from the"
              + " model cache).")
  String model;

  @Option(
      names = "--device",
      paramLabel = "auto|cpu|cuda[:N]",
      defaultValue = "auto",
      description = "Where the text tower runs (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(
      names = "--min-confidence",
      paramLabel = "P",
      defaultValue = "0.5",
      description =
          "Floor on the chosen value's probability (default: ${DEFAULT-VALUE}: more likely than"
              + " all other values together).")
  double minConfidence;

  @Option(
      names = "--min-margin",
      paramLabel = "M",
      defaultValue = "0.2",
      description =
          "Least lead in probability over the runner-up value (default: ${DEFAULT-VALUE}: a"
              + " near tie such as 0.55 against 0.45 leaves the attribute unset).")
  double minMargin;

  @Option(names = "--no-progress", description = "No progress bar; periodic log lines only.")
  boolean noProgress;

  /** The command as the launcher runs it: the process environment for the model cache. */
  public TagCommand() {
    this(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /** The command with its environment given explicitly (tests). */
  TagCommand(Map<String, String> env, Path userHome) {
    this.env = Map.copyOf(env);
    this.userHome = userHome;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    StoreTarget target = store.target();
    checkThreshold("--min-confidence", minConfidence);
    checkThreshold("--min-margin", minMargin);
    AttributeFile file;
    try {
      file = AttributeFile.read(attributes);
    } catch (AttributeFileException e) {
      throw new ParameterException(spec.commandLine(), "--attributes: " + e.getMessage());
    }
    String storeModel;
    try {
      storeModel = modelId(target);
    } catch (IOException e) {
      err.println("clipsearch tag: " + e.getMessage());
      return 1;
    }
    Path modelDir = resolveModel(model == null ? storeModel : model);
    RuntimeOptions runtime;
    try {
      runtime = RuntimeOptions.defaults().withDevice(Device.parse(device));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--device: " + e.getMessage());
    }
    try (ClipModel clip = ClipModels.load(modelDir, runtime)) {
      return tag(
          target,
          file,
          clip,
          minConfidence,
          minMargin,
          ProgressBar.shouldRedraw(noProgress, env, ProgressBar.consoleIsTerminal()),
          out,
          err);
    } catch (ModelLoadException e) {
      err.println("clipsearch tag: cannot load the model: " + e.getMessage());
      return 1;
    }
  }

  /**
   * Tags every product of the store {@code target} names with {@code clip}'s text tower: the
   * summary on {@code out}, the progress bar and messages on {@code err}.
   *
   * @return 0 when done, 1 when the store cannot be opened for this model or an I/O error stops it
   */
  public static int tag(
      StoreTarget target,
      AttributeFile file,
      ClipModel clip,
      double minConfidence,
      double minMargin,
      boolean redrawProgress,
      PrintWriter out,
      PrintWriter err) {
    try (OpenedCatalogStore opened = OpenedCatalogStore.openExisting(target, clip.spec())) {
      CatalogStore store = opened.store();
      String runState = lastRun(target);
      err.println(
          "tagging "
              + target.describe()
              + " with "
              + file.attributes().size()
              + " attributes from "
              + file.source()
              + " (model "
              + store.metadata().describeModel()
              + ", min confidence "
              + minConfidence
              + ", min margin "
              + minMargin
              + ")");
      AttributeTagger tagger = new AttributeTagger(file, clip, minConfidence, minMargin);
      AtomicReference<ProgressBar> bar = new AtomicReference<>();
      CatalogTagger.Result result;
      try {
        result =
            CatalogTagger.run(
                store,
                tagger,
                runState,
                total ->
                    bar.set(
                        ProgressBar.builder("products")
                            .redraw(redrawProgress)
                            .output(err)
                            .total(total)
                            .start()),
                n -> bar.get().advance(n));
      } finally {
        if (bar.get() != null) {
          bar.get().close();
        }
      }
      summary(result).forEach(out::println);
      out.flush();
      return 0;
    } catch (IndexOpenException e) {
      err.println("clipsearch tag: " + e.getMessage());
      return 1;
    } catch (IOException | RuntimeException e) {
      err.println("clipsearch tag: " + e);
      return 1;
    }
  }

  /** The summary lines of a run. */
  static List<String> summary(CatalogTagger.Result result) {
    List<String> lines = new ArrayList<>();
    lines.add(
        "tagged "
            + ProgressBar.formatCount(result.products())
            + " products, "
            + ProgressBar.formatCount(result.changed())
            + " written again with new attributes");
    lines.add(
        "images encoded: 0 (used "
            + ProgressBar.formatCount(result.imageVectors())
            + " stored image vectors)");
    result
        .values()
        .forEach(
            (name, counts) -> {
              StringBuilder line = new StringBuilder("attr." + name + ": ");
              List<String> parts = new ArrayList<>();
              counts.forEach((value, n) -> parts.add(value + " " + n));
              line.append(parts.isEmpty() ? "no value kept" : String.join(", ", parts));
              line.append("; unset on ").append(result.leftOut().get(name)).append(" products");
              lines.add(line.toString());
            });
    return lines;
  }

  /** The id of the model that built the store, read before any model is loaded. */
  private static String modelId(StoreTarget target) throws IOException {
    return switch (target) {
      case StoreTarget.Embedded embedded -> CatalogIndex.readMetadata(embedded.dir()).modelId();
      case StoreTarget.Solr solr -> SolrStores.read(solr).metadata().modelId();
    };
  }

  /** How the last run that committed ended, kept as it was: tagging is no indexing run. */
  private static String lastRun(StoreTarget target) throws IOException {
    String lastRun =
        switch (target) {
          case StoreTarget.Embedded embedded -> CatalogIndex.stats(embedded.dir()).lastRun();
          case StoreTarget.Solr solr -> SolrStores.read(solr).lastRun();
        };
    return lastRun == null ? "unknown" : lastRun;
  }

  private void checkThreshold(String option, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new ParameterException(
          spec.commandLine(),
          option + " must be between 0 and 1, got " + String.format(Locale.ROOT, "%s", value));
    }
  }

  private Path resolveModel(String nameOrDir) {
    try {
      return ModelsConfig.fromEnvironment(env, userHome)
          .cache(ModelRegistry.builtIn())
          .resolve(nameOrDir);
    } catch (ModelNotFoundException | IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--model: " + e.getMessage());
    }
  }
}
