package dev.clipsearch.cli.demo;

import dev.clipsearch.common.io.Digests;
import dev.clipsearch.models.hub.CachedModel;
import dev.clipsearch.models.hub.ModelCache;
import dev.clipsearch.models.hub.ModelNotFoundException;
import dev.clipsearch.models.hub.ModelRef;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Chooses the demo's model, in this order: the one given explicitly; the default model when it was
 * downloaded before (else any model {@code clipsearch models fetch} installed); the default model
 * downloaded now, when the network allows; the offline model that ships with clipsearch. A
 * random-weight test model is only ever used when given explicitly.
 */
public final class ModelSelector {

  /** Downloads a known model into the cache (in production, a {@code ModelFetcher}). */
  @FunctionalInterface
  public interface Fetcher {
    /**
     * @return the installed directory
     */
    Path fetch(ModelRef model) throws FetchFailedException;
  }

  /** A download that did not complete; the message says why. */
  public static final class FetchFailedException extends Exception {
    public FetchFailedException(String message) {
      super(message);
    }
  }

  private final ModelCache cache;
  private final Fetcher fetcher;
  private final String hubName;
  private final Supplier<Optional<Path>> offlineModel;

  /**
   * @param cache the model cache (and the registry of known models)
   * @param fetcher downloads the default model; null when the demo must not try the network
   * @param hubName where downloads come from, for the message (an URL)
   * @param offlineModel installs the model that ships with clipsearch and returns its directory
   *     (empty when this build has none); called only when no other model is found
   */
  public ModelSelector(
      ModelCache cache, Fetcher fetcher, String hubName, Supplier<Optional<Path>> offlineModel) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.fetcher = fetcher;
    this.hubName = Objects.requireNonNull(hubName, "hubName");
    this.offlineModel = Objects.requireNonNull(offlineModel, "offlineModel");
  }

  /**
   * @param explicit a model directory or cached model name given by the user, if any
   * @param progress where to say what is being tried (a download is slow)
   * @throws NoModelException naming what was tried, when nothing is usable
   */
  public ModelChoice choose(Optional<String> explicit, java.io.PrintWriter progress)
      throws NoModelException {
    if (explicit.isPresent()) {
      Path dir;
      try {
        dir = cache.resolve(explicit.get());
      } catch (ModelNotFoundException e) {
        throw new NoModelException("--model: " + e.getMessage());
      }
      return new ModelChoice(
          dir, explicitName(dir), ModelChoice.Source.EXPLICIT, "given with --model");
    }
    ModelRef preferred =
        new ModelRef(
            cache.registry().defaultModel(), cache.registry().defaultModel().defaultVariant());
    Optional<ModelChoice> cached = cached(preferred);
    if (cached.isPresent()) {
      return cached.get();
    }
    String fetchFailure;
    if (fetcher == null) {
      fetchFailure = "downloads turned off with --offline";
    } else {
      progress.println(
          "demo: no model in the cache "
              + cache.modelsDir()
              + "; downloading "
              + preferred.installName()
              + " from "
              + hubName
              + " (Ctrl-C and pass --offline to skip)");
      progress.flush();
      try {
        Path dir = fetcher.fetch(preferred);
        return new ModelChoice(
            dir,
            preferred.installName(),
            ModelChoice.Source.FETCHED,
            "the default CLIP model, downloaded now from " + hubName);
      } catch (FetchFailedException e) {
        fetchFailure = e.getMessage();
      }
    }
    Optional<Path> offline = offlineModel.get();
    if (offline.isPresent()) {
      Path dir = offline.get();
      return new ModelChoice(
          dir,
          dir.getFileName().toString(),
          ModelChoice.Source.OFFLINE,
          "the small offline model that ships with clipsearch, trained on emoji-like renders;"
              + " no model in the cache and "
              + fetchFailure);
    }
    throw new NoModelException(
        "no model for the demo: none in the cache ("
            + cache.modelsDir()
            + "), "
            + fetchFailure
            + ", and this build has no offline model. Download one with `clipsearch models"
            + " fetch` where Hugging Face is reachable (or set HF_ENDPOINT to a mirror), or pass"
            + " --model DIR");
  }

  private Optional<ModelChoice> cached(ModelRef preferred) throws NoModelException {
    Optional<Path> dir = cache.find(preferred.installName());
    if (dir.isPresent()) {
      return Optional.of(
          new ModelChoice(
              dir.get(),
              preferred.installName(),
              ModelChoice.Source.CACHED,
              "the default CLIP model, downloaded earlier into " + dir.get()));
    }
    try {
      // Only models that `models fetch` installed (they carry a receipt): known, real weights.
      for (CachedModel model : cache.list()) {
        if (model.receipt().isPresent()) {
          return Optional.of(
              new ModelChoice(
                  model.path(),
                  model.name(),
                  ModelChoice.Source.CACHED,
                  "downloaded earlier into " + model.path()));
        }
      }
    } catch (IOException e) {
      throw new NoModelException("cannot list the model cache " + cache.modelsDir() + ": " + e);
    }
    return Optional.empty();
  }

  /** A model directory's name plus a short hash of its path: one demo index per directory. */
  static String explicitName(Path dir) {
    String base =
        dir.getFileName() == null
            ? "model"
            : dir.getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    return base
        + "-"
        + Digests.sha256Hex(dir.toAbsolutePath().normalize().toString()).substring(0, 8);
  }
}
