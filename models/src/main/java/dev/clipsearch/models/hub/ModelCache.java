package dev.clipsearch.models.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The on-disk model cache: {@code <root>/models/<name>/}, one directory per installed model and
 * variant. Downloads are staged in {@code <root>/.staging/} and appear under {@code models/} in one
 * atomic rename (see {@link ModelFetcher}), so every directory here is complete.
 *
 * <p>The root is the clipsearch home ({@link dev.clipsearch.common.cli.ClipsearchHome}), resolved
 * by the command-line layer.
 */
public final class ModelCache {

  static final String MODELS = "models";
  static final String STAGING = ".staging";
  private static final Pattern DIRECTORY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final Path root;
  private final ModelRegistry registry;

  /** A cache at {@code root} that knows the models of {@code registry} by name. */
  public ModelCache(Path root, ModelRegistry registry) {
    this.root = root.toAbsolutePath().normalize();
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** A cache at {@code root} with the {@linkplain ModelRegistry#builtIn built-in} models. */
  public ModelCache(Path root) {
    this(root, ModelRegistry.builtIn());
  }

  public Path root() {
    return root;
  }

  public ModelRegistry registry() {
    return registry;
  }

  /** {@code <root>/models}, where installed models live. */
  public Path modelsDir() {
    return root.resolve(MODELS);
  }

  /** {@code <root>/.staging}, where downloads in progress live. */
  Path stagingDir() {
    return root.resolve(STAGING);
  }

  /** Where {@code ref} is (or would be) installed. */
  public Path directoryFor(ModelRef ref) {
    return modelsDir().resolve(ref.installName());
  }

  /**
   * The installed directory of a model: {@code name} is a known model's name or alias (its default
   * variant), an install name with a variant suffix, or the name of any directory in the cache.
   */
  public Optional<Path> find(String name) {
    String dirName = registry.lookup(name).map(ModelRef::installName).orElse(name.strip());
    if (!DIRECTORY_NAME.matcher(dirName).matches()) {
      return Optional.empty();
    }
    Path dir = modelsDir().resolve(dirName);
    return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
  }

  /** Every model directory in the cache, sorted by name. */
  public List<CachedModel> list() throws IOException {
    Path models = modelsDir();
    if (!Files.isDirectory(models)) {
      return List.of();
    }
    List<CachedModel> result = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(models)) {
      for (Path dir :
          dirs.filter(Files::isDirectory)
              .filter(d -> !d.getFileName().toString().startsWith("."))
              .sorted()
              .toList()) {
        result.add(describe(dir));
      }
    }
    return result;
  }

  /**
   * The model directory that {@code nameOrDir} designates: an existing directory is used as it is;
   * otherwise the name is looked up in the cache as {@link #find} does.
   *
   * @throws ModelNotFoundException naming what was looked at, and for a known model that is not
   *     downloaded yet, the {@code clipsearch models fetch} command that downloads it
   */
  public Path resolve(String nameOrDir) {
    Objects.requireNonNull(nameOrDir, "nameOrDir");
    if (nameOrDir.isBlank()) {
      throw new ModelNotFoundException(nameOrDir, "no model given: pass a model name or directory");
    }
    Optional<Path> asPath = asPath(nameOrDir);
    if (asPath.isPresent() && Files.isDirectory(asPath.get())) {
      return asPath.get().toAbsolutePath().normalize();
    }
    Optional<Path> cached = find(nameOrDir);
    if (cached.isPresent()) {
      return cached.get();
    }
    Optional<ModelRef> known = registry.lookup(nameOrDir);
    if (known.isPresent()) {
      ModelRef ref = known.get();
      String command = "clipsearch models fetch " + ref.model().name();
      if (ref.variant() != ref.model().defaultVariant()) {
        command += " --variant " + ref.variant().id();
      }
      throw new ModelNotFoundException(
          nameOrDir,
          "model '"
              + nameOrDir
              + "' is not downloaded yet (looked in "
              + directoryFor(ref)
              + "); download it with: "
              + command);
    }
    if (asPath.isPresent() && Files.exists(asPath.get())) {
      throw new ModelNotFoundException(
          nameOrDir, "'" + nameOrDir + "' is a file; a model is a directory");
    }
    throw new ModelNotFoundException(
        nameOrDir,
        "'"
            + nameOrDir
            + "' is neither a model directory nor a known model name. Known models: "
            + String.join(", ", registry.names())
            + cachedNames()
            + ". Download one with: clipsearch models fetch NAME");
  }

  private String cachedNames() {
    try {
      List<String> names = list().stream().map(CachedModel::name).toList();
      return names.isEmpty()
          ? "; none downloaded yet in " + modelsDir()
          : "; downloaded: " + String.join(", ", names);
    } catch (IOException e) {
      return "";
    }
  }

  private static Optional<Path> asPath(String text) {
    try {
      return Optional.of(Path.of(text));
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  private static CachedModel describe(Path dir) throws IOException {
    List<String> files = new ArrayList<>();
    long size = 0;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        size += Files.size(file);
        String relative = dir.relativize(file).toString().replace('\\', '/');
        if (!relative.equals(InstallReceipt.FILE_NAME)) {
          files.add(relative);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    files.sort(null);
    return new CachedModel(
        dir.getFileName().toString(), dir, size, files, InstallReceipt.read(dir));
  }
}
