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
 */
public record RemoteFile(String path, OptionalLong size, Optional<String> sha256) {

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public RemoteFile {
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
    if (size.isPresent() && size.getAsLong() < 0) {
      throw new IllegalArgumentException("negative size for " + path);
    }
    sha256 = sha256.map(s -> s.toLowerCase(Locale.ROOT));
    if (sha256.isPresent() && !SHA256.matcher(sha256.get()).matches()) {
      throw new IllegalArgumentException(
          "the SHA-256 of " + path + " must be 64 hex digits, got '" + sha256.get() + "'");
    }
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
