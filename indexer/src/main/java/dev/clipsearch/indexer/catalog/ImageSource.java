package dev.clipsearch.indexer.catalog;

import dev.clipsearch.common.catalog.ProductJson;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** Where the bytes of one product image live: a local file or an http(s) URL. */
public sealed interface ImageSource {

  /** The reference exactly as the catalog wrote it (reports and the index keep this). */
  String ref();

  /** A file on this machine. */
  record LocalFile(String ref, Path path) implements ImageSource {
    public LocalFile {
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(path, "path");
    }
  }

  /** An http or https URL. */
  record Remote(String ref, URI uri) implements ImageSource {
    public Remote {
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(uri, "uri");
    }
  }

  /** A URI scheme: two or more characters (so a Windows drive letter is not one). */
  Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:");

  /**
   * Resolves a catalog image reference: {@code http://} and {@code https://} URLs; {@code file:}
   * URIs; absolute paths; other paths relative to {@code baseDir} (the catalog's folder).
   *
   * @throws IllegalArgumentException naming the reference when it is none of those
   */
  static ImageSource resolve(String ref, Path baseDir) {
    String trimmed = ref.strip();
    String lower = trimmed.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      URI uri;
      try {
        uri = new URI(trimmed);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("not a valid URL: " + e.getMessage(), e);
      }
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("URL has no host: " + trimmed);
      }
      return new Remote(ref, uri);
    }
    if (lower.startsWith("file:")) {
      try {
        return new LocalFile(ref, Path.of(new URI(trimmed)));
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new IllegalArgumentException("not a valid file URI: " + trimmed, e);
      }
    }
    if (SCHEME.matcher(trimmed).find()) {
      throw new IllegalArgumentException(
          "unsupported scheme in "
              + ProductJson.abbreviate(trimmed)
              + " (use a path or an http(s) URL)");
    }
    try {
      Path path = Path.of(trimmed);
      return new LocalFile(ref, (path.isAbsolute() ? path : baseDir.resolve(path)).normalize());
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("not a valid path: " + e.getMessage(), e);
    }
  }
}
