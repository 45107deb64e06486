package dev.clipsearch.models.hub;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * One file of a model repository, and how to know it arrived intact.
 *
 * @param path path inside the repository, forward slashes ({@code onnx/vision_model.onnx}); the
 *     file lands at the same relative path inside the model directory
 * @param size the exact size in bytes, when pinned
 * @param sha256 the SHA-256 of the content (lower-case hex), when pinned; without it the download
 *     is verified against the digest the hub reports (see {@link ModelFetcher})
 * @param origin where the file comes from when not from its model's own repository at the model's
 *     revision (a model made of two repositories' files); empty for the model's own files
 */
public record RemoteFile(
    String path, OptionalLong size, Optional<String> sha256, Optional<Origin> origin) {

  /**
   * A file of another repository: {@code path} inside {@code repository} at {@code revision}.
   *
   * @param repository Hugging Face repository id
   * @param revision a commit hash or a branch name
   * @param path the file's path in that repository
   */
  public record Origin(String repository, String revision, String path) {
    public Origin {
      if (!KnownModel.REPOSITORY.matcher(repository).matches()) {
        throw new IllegalArgumentException(
            "not a Hugging Face repository id: '" + repository + "'");
      }
      if (revision.isBlank() || revision.contains("..")) {
        throw new IllegalArgumentException("bad revision '" + revision + "' for " + repository);
      }
      checkPath(path);
    }

    /** True when the revision is a full commit hash. */
    public boolean revisionIsPinned() {
      return revision.matches("[0-9a-f]{40}");
    }
  }

  /** A file of its model's own repository. */
  public RemoteFile(String path, OptionalLong size, Optional<String> sha256) {
    this(path, size, sha256, Optional.empty());
  }

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public RemoteFile {
    checkPath(path);
    Objects.requireNonNull(origin, "origin");
    if (size.isPresent() && size.getAsLong() < 0) {
      throw new IllegalArgumentException("negative size for " + path);
    }
    sha256 = sha256.map(s -> s.toLowerCase(Locale.ROOT));
    if (sha256.isPresent() && !SHA256.matcher(sha256.get()).matches()) {
      throw new IllegalArgumentException(
          "the SHA-256 of " + path + " must be 64 hex digits, got '" + sha256.get() + "'");
    }
  }

  private static void checkPath(String path) {
    Objects.requireNonNull(path, "path");
    for (String segment : path.split("/", -1)) {
      if (!SEGMENT.matcher(segment).matches()) {
        throw new IllegalArgumentException(
            "a repository file path must be relative, '/'-separated, without '..' or empty parts;"
                + " got '"
                + path
                + "'");
      }
    }
  }

  /**
   * This file of {@code repository} at {@code revision}, landing in {@code directory} of the model
   * directory ({@code onnx/vision_model.onnx} of a CLIP export as {@code
   * image/onnx/vision_model.onnx}); size and digest stay as they are.
   */
  public RemoteFile fromRepository(String repository, String revision, String directory) {
    if (origin.isPresent()) {
      throw new IllegalStateException(path + " already comes from " + origin.get().repository());
    }
    return new RemoteFile(
        directory + "/" + path, size, sha256, Optional.of(new Origin(repository, revision, path)));
  }

  /** Where to download the file from when it belongs to {@code model}. */
  public Origin originIn(KnownModel model) {
    return origin.orElseGet(() -> new Origin(model.repository(), model.revision(), path));
  }

  /** A file whose size and SHA-256 are known in advance. */
  public static RemoteFile pinned(String path, long size, String sha256) {
    return new RemoteFile(path, OptionalLong.of(size), Optional.of(sha256));
  }

  /** A file verified against the digest the hub reports when it is downloaded. */
  public static RemoteFile unpinned(String path) {
    return new RemoteFile(path, OptionalLong.empty(), Optional.empty());
  }
}
