package dev.clipsearch.models.hub;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A model that {@code clipsearch models fetch} knows how to download: a Hugging Face repository at
 * a pinned revision, the files every variant needs, and the weight files of each variant. A file
 * may come from a second repository ({@link RemoteFile#origin()}), as the image tower of a
 * multilingual text tower does.
 *
 * @param name short name, also the cache directory of the default variant ({@code
 *     clip-vit-base-patch32})
 * @param aliases other names accepted on the command line ({@code openai/clip-vit-base-patch32})
 * @param description one line for {@code models list} and help texts
 * @param repository Hugging Face repository id ({@code Xenova/clip-vit-base-patch32})
 * @param revision a commit hash (preferred: the bytes can never change) or a branch name
 * @param sharedFiles configuration and tokenizer files, the same for every variant
 * @param variantFiles the ONNX graphs of each variant offered
 * @param defaultVariant the variant fetched when none is asked for
 * @param facts dimension, languages and uses, for {@code models list --known}
 */
public record KnownModel(
    String name,
    List<String> aliases,
    String description,
    String repository,
    String revision,
    List<RemoteFile> sharedFiles,
    Map<ModelVariant, List<RemoteFile>> variantFiles,
    ModelVariant defaultVariant,
    ModelFacts facts) {

  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
  static final Pattern REPOSITORY =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*");

  public KnownModel {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a model name must be lower-case letters, digits, '.', '_' or '-', got '" + name + "'");
    }
    if (!REPOSITORY.matcher(repository).matches()) {
      throw new IllegalArgumentException("not a Hugging Face repository id: '" + repository + "'");
    }
    if (revision.isBlank() || revision.contains("..")) {
      throw new IllegalArgumentException("bad revision '" + revision + "' for " + name);
    }
    aliases = List.copyOf(aliases);
    sharedFiles = List.copyOf(sharedFiles);
    EnumMap<ModelVariant, List<RemoteFile>> copy = new EnumMap<>(ModelVariant.class);
    variantFiles.forEach((variant, files) -> copy.put(variant, List.copyOf(files)));
    variantFiles = Collections.unmodifiableMap(copy);
    if (!variantFiles.containsKey(Objects.requireNonNull(defaultVariant))) {
      throw new IllegalArgumentException(
          name + " does not offer its default variant " + defaultVariant);
    }
    Objects.requireNonNull(facts, "facts");
  }

  /** A known model with no recorded facts ({@link ModelFacts#UNKNOWN}). */
  public KnownModel(
      String name,
      List<String> aliases,
      String description,
      String repository,
      String revision,
      List<RemoteFile> sharedFiles,
      Map<ModelVariant, List<RemoteFile>> variantFiles,
      ModelVariant defaultVariant) {
    this(
        name,
        aliases,
        description,
        repository,
        revision,
        sharedFiles,
        variantFiles,
        defaultVariant,
        ModelFacts.UNKNOWN);
  }

  /**
   * True when every file has a pinned size and SHA-256 digest; otherwise the download checks the
   * files against the digests the hub reports.
   */
  public boolean filesArePinned() {
    return Stream.concat(sharedFiles.stream(), variantFiles.values().stream().flatMap(List::stream))
        .allMatch(f -> f.size().isPresent() && f.sha256().isPresent());
  }

  /** The variants this model offers, in declaration order. */
  public Set<ModelVariant> variants() {
    return variantFiles.keySet();
  }

  /** Every file of {@code variant}: the shared files, then its weights. */
  public List<RemoteFile> files(ModelVariant variant) {
    List<RemoteFile> weights = variantFiles.get(variant);
    if (weights == null) {
      throw new IllegalArgumentException(
          name + " has no " + variant.id() + " variant; it offers " + variants());
    }
    List<RemoteFile> all = new ArrayList<>(sharedFiles);
    all.addAll(weights);
    return all;
  }

  /**
   * The directory name of {@code variant} in the cache: the model's name for the default variant,
   * {@code <name>-<variant>} for the others ({@code clip-vit-base-patch32-int8}).
   */
  public String installName(ModelVariant variant) {
    return variant == defaultVariant ? name : name + "-" + variant.id();
  }

  /**
   * The other repositories some files come from ({@link RemoteFile#origin()}), each as {@code
   * repository at revision}, in order of first use; empty for a model of one repository.
   */
  public List<RemoteFile.Origin> otherSources() {
    java.util.LinkedHashMap<String, RemoteFile.Origin> sources = new java.util.LinkedHashMap<>();
    Stream.concat(sharedFiles.stream(), variantFiles.values().stream().flatMap(List::stream))
        .flatMap(f -> f.origin().stream())
        .forEach(o -> sources.putIfAbsent(o.repository() + "@" + o.revision(), o));
    return List.copyOf(sources.values());
  }

  /** True when the revision is a full commit hash, so the files can never change under it. */
  public boolean revisionIsPinned() {
    return revision.matches("[0-9a-f]{40}");
  }
}
