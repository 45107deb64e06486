package dev.clipsearch.models.cli;

import dev.clipsearch.common.cli.ProgressBar;
import dev.clipsearch.models.hub.CachedModel;
import dev.clipsearch.models.hub.FetchResult;
import dev.clipsearch.models.hub.HubConfig;
import dev.clipsearch.models.hub.InstallReceipt;
import dev.clipsearch.models.hub.KnownModel;
import dev.clipsearch.models.hub.ModelCache;
import dev.clipsearch.models.hub.ModelFacts;
import dev.clipsearch.models.hub.ModelFetchException;
import dev.clipsearch.models.hub.ModelFetcher;
import dev.clipsearch.models.hub.ModelRef;
import dev.clipsearch.models.hub.ModelRegistry;
import dev.clipsearch.models.hub.ModelVariant;
import dev.clipsearch.models.hub.RemoteFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code clipsearch models}: download known CLIP models into the cache and list what is there.
 *
 * <p>The environment ({@code CLIPSEARCH_HOME}, {@code HF_ENDPOINT}, {@code HF_TOKEN}) is read here,
 * once, into a {@link ModelsConfig}; nothing below the command line reads it.
 */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = {
      "Download CLIP models and list the ones in the cache.",
      "Cache: $CLIPSEARCH_HOME (default ~/.cache/clipsearch). Hub: $HF_ENDPOINT (default"
          + " https://huggingface.co). Token for gated models: $HF_TOKEN."
    },
    subcommands = {ModelsCommand.Fetch.class, ModelsCommand.ListModels.class})
public final class ModelsCommand implements Runnable {

  /** Exit code of a fetch that failed (usage errors exit with picocli's 2). */
  public static final int EXIT_FETCH_FAILED = 1;

  private final Map<String, String> env;
  private final Path userHome;
  private final ModelRegistry registry;
  private final UnaryOperator<HubConfig> hubTuning;

  @Spec CommandSpec spec;

  /** The command as the launcher runs it: the process environment, the built-in models. */
  public ModelsCommand() {
    this(
        System.getenv(),
        Path.of(System.getProperty("user.home")),
        ModelRegistry.builtIn(),
        UnaryOperator.identity());
  }

  /**
   * The command with its inputs given explicitly (tests: a fake hub's models, short timeouts).
   *
   * @param hubTuning adjusts the download settings built from the environment
   */
  ModelsCommand(
      Map<String, String> env,
      Path userHome,
      ModelRegistry registry,
      UnaryOperator<HubConfig> hubTuning) {
    this.env = Map.copyOf(env);
    this.userHome = userHome;
    this.registry = Objects.requireNonNull(registry);
    this.hubTuning = hubTuning;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  ModelsConfig config() {
    try {
      return ModelsConfig.fromEnvironment(env, userHome);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** {@code models fetch [NAME] [--variant V] [--to DIR]}. */
  @Command(
      name = "fetch",
      mixinStandardHelpOptions = true,
      description = {
        "Download a known model from Hugging Face into the cache (or --to DIR), with resume,"
            + " SHA-256 verification and an atomic install.",
        "Run it again after an interruption: it resumes where it stopped."
      })
  static final class Fetch implements Callable<Integer> {

    @ParentCommand ModelsCommand parent;
    @Spec CommandSpec spec;

    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "NAME",
        description = "Model to download; default: the first known model (see `models list`).")
    String name;

    @Option(
        names = "--variant",
        paramLabel = "VARIANT",
        description = "Weights to download: fp32 (default), int8 or q8 (8-bit quantized).")
    String variant;

    @Option(
        names = "--to",
        paramLabel = "DIR",
        description = "Install into DIR (which must not exist, or be empty) instead of the cache.")
    Path to;

    @Option(names = "--no-progress", description = "Plain progress lines instead of a live bar.")
    boolean noProgress;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      ModelsConfig config = parent.config();
      ModelRef ref = modelRef();
      HubConfig hub = parent.hubTuning.apply(config.hubConfig());
      ModelCache cache = config.cache(parent.registry);
      KnownModel model = ref.model();
      Path target = to != null ? to.toAbsolutePath().normalize() : cache.directoryFor(ref);
      err.println(
          "fetching "
              + ref.installName()
              + " ("
              + ref.variant().id()
              + ") from "
              + hub.endpoint()
              + "/"
              + model.repository()
              + " at "
              + model.revision()
              + (model.revisionIsPinned() ? "" : " (a branch, not a pinned commit)")
              + " into "
              + target);
      err.flush();
      boolean redraw =
          ProgressBar.shouldRedraw(noProgress, parent.env, ProgressBar.consoleIsTerminal());
      FetchResult result;
      try (ModelFetcher fetcher = new ModelFetcher(hub);
          FetchProgress progress = new FetchProgress(err, redraw)) {
        result =
            to != null ? fetcher.fetchTo(ref, to, progress) : fetcher.fetch(ref, cache, progress);
      } catch (ModelFetchException e) {
        err.println("error: " + e.getMessage() + hint(e, config));
        err.flush();
        return EXIT_FETCH_FAILED;
      }
      InstallReceipt receipt = result.receipt();
      String summary =
          ProgressBar.formatBytes(receipt.totalBytes())
              + ", "
              + receipt.files().size()
              + " files, "
              + receipt.variant();
      if (result.alreadyInstalled()) {
        out.println(
            ref.installName() + " is already installed (" + summary + ") in " + result.directory());
      } else {
        out.println(
            "installed " + ref.installName() + " (" + summary + ") in " + result.directory());
      }
      out.flush();
      return 0;
    }

    private ModelRef modelRef() {
      ModelRegistry registry = parent.registry;
      ModelRef named;
      if (name == null) {
        KnownModel first = registry.defaultModel();
        named = new ModelRef(first, first.defaultVariant());
      } else {
        named =
            registry
                .lookup(name)
                .orElseThrow(
                    () ->
                        new CommandLine.ParameterException(
                            spec.commandLine(),
                            "unknown model '"
                                + name
                                + "'; known models: "
                                + String.join(", ", registry.names())));
      }
      if (variant == null) {
        return named;
      }
      try {
        ModelVariant wanted = ModelVariant.parse(variant);
        if (name != null
            && registry.find(name).isEmpty()
            && named.variant() != wanted) { // NAME was an install name with its own variant
          throw new IllegalArgumentException(
              "'" + name + "' is the " + named.variant() + " variant; it cannot be " + wanted);
        }
        return new ModelRef(named.model(), wanted);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }

    private static String hint(ModelFetchException e, ModelsConfig config) {
      return switch (e.reason()) {
        case UNREACHABLE, TRANSFER_FAILED ->
            ". Check the network connection"
                + (config.endpoint().equals(HubConfig.DEFAULT_ENDPOINT)
                    ? ", or set HF_ENDPOINT to a reachable mirror"
                    : " and HF_ENDPOINT (" + config.endpoint() + ")");
        case ACCESS_DENIED ->
            config.token().isPresent()
                ? ". Check the token in HF_TOKEN"
                : ". Set HF_TOKEN to a Hugging Face access token";
        default -> "";
      };
    }
  }

  /** {@code models list}: installed models, then the ones {@code models fetch} knows. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the models in the cache, and the known models that can be fetched.")
  static final class ListModels implements Callable<Integer> {

    @ParentCommand ModelsCommand parent;
    @Spec CommandSpec spec;

    @Option(
        names = "--known",
        description =
            "Only the known models, each with its download size, dimension, languages and uses.")
    boolean knownOnly;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      ModelCache cache = parent.config().cache(parent.registry);
      if (!knownOnly && listCache(out, cache) != 0) {
        return EXIT_FETCH_FAILED;
      }
      out.println("Known models (clipsearch models fetch NAME [--variant VARIANT]):");
      for (KnownModel model : parent.registry.models()) {
        out.println("  " + model.name() + "  " + model.description());
        out.println("    " + facts(model.facts()));
        List<String> variants = new ArrayList<>();
        for (ModelVariant v : model.variants()) {
          ModelRef ref = new ModelRef(model, v);
          String size = downloadSizeText(model.files(v));
          String installed = cache.find(ref.installName()).isPresent() ? ", installed" : "";
          variants.add(
              v.id() + (v == model.defaultVariant() ? " (default)" : "") + ": " + size + installed);
        }
        out.println("    " + String.join("; ", variants));
        out.println(
            "    from "
                + model.repository()
                + " at "
                + model.revision()
                + (model.revisionIsPinned() ? "" : " (branch)")
                + (model.filesArePinned()
                    ? "; sizes and SHA-256 pinned"
                    : "; not every size and SHA-256 is pinned: files are checked against the"
                        + " digests the hub reports at download"));
        for (RemoteFile.Origin other : model.otherSources()) {
          out.println(
              "    and from "
                  + other.repository()
                  + " at "
                  + other.revision()
                  + (other.revisionIsPinned() ? "" : " (branch)"));
        }
      }
      out.flush();
      return 0;
    }

    private static String facts(ModelFacts facts) {
      String dimension =
          facts.dimension() > 0 ? facts.dimension() + "-d" : "dimension not recorded";
      String languages =
          facts.languages().isEmpty()
              ? "languages not recorded"
              : "queries in " + String.join(", ", facts.languages());
      String uses = facts.goodFor().isBlank() ? "" : "; " + facts.goodFor();
      return dimension + "; " + languages + uses;
    }

    /** The cache's models as a table; 0, or the exit code when the cache cannot be listed. */
    private int listCache(PrintWriter out, ModelCache cache) {
      List<CachedModel> cached;
      try {
        cached = cache.list();
      } catch (IOException e) {
        spec.commandLine()
            .getErr()
            .println("error: cannot list " + cache.modelsDir() + ": " + e.getMessage());
        return EXIT_FETCH_FAILED;
      }
      if (cached.isEmpty()) {
        out.println(
            "No models in "
                + cache.modelsDir()
                + " yet. Download one with: clipsearch models fetch");
      } else {
        out.println("Models in " + cache.modelsDir() + ":");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "VARIANT", "SIZE", "FILES", "SOURCE", "PATH"});
        for (CachedModel m : cached) {
          Optional<InstallReceipt> r = m.receipt();
          rows.add(
              new String[] {
                m.name(),
                r.map(InstallReceipt::variant).orElse("-"),
                ProgressBar.formatBytes(m.sizeOnDisk()),
                Integer.toString(m.files().size()),
                r.map(x -> x.repository() + "@" + shortRevision(x.revision()))
                    .orElse("(copied in)"),
                m.path().toString()
              });
        }
        printTable(out, rows);
      }
      out.println();
      return 0;
    }

    /**
     * The download size when every file's is pinned; else what the pinned files add up to, and how
     * many files have no pinned size.
     */
    private static String downloadSizeText(List<RemoteFile> files) {
      Optional<Long> all = downloadSize(files);
      if (all.isPresent()) {
        return ProgressBar.formatBytes(all.get());
      }
      long known = files.stream().mapToLong(f -> f.size().orElse(0)).sum();
      long unknown = files.stream().filter(f -> f.size().isEmpty()).count();
      return known == 0
          ? "size unknown"
          : "over "
              + ProgressBar.formatBytes(known)
              + " ("
              + unknown
              + (unknown == 1 ? " file" : " files")
              + " of unpinned size)";
    }

    private static Optional<Long> downloadSize(List<RemoteFile> files) {
      long sum = 0;
      for (RemoteFile f : files) {
        if (f.size().isEmpty()) {
          return Optional.empty();
        }
        sum += f.size().getAsLong();
      }
      return Optional.of(sum);
    }

    private static String shortRevision(String revision) {
      return revision.matches("[0-9a-f]{40}") ? revision.substring(0, 7) : revision;
    }

    private static void printTable(PrintWriter out, List<String[]> rows) {
      int columns = rows.get(0).length;
      int[] width = new int[columns];
      for (String[] row : rows) {
        for (int c = 0; c < columns; c++) {
          width[c] = Math.max(width[c], row[c].length());
        }
      }
      for (String[] row : rows) {
        StringBuilder line = new StringBuilder(" ");
        for (int c = 0; c < columns; c++) {
          line.append(' ');
          line.append(c == columns - 1 ? row[c] : String.format("%-" + width[c] + "s ", row[c]));
        }
        out.println(line.toString().stripTrailing());
      }
    }
  }
}
