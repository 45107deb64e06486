package dev.clipsearch.searcher.search;

import dev.clipsearch.searcher.service.OriginalImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a stored image reference can be served from: http(s) URLs as redirects, local files under
 * the images root (the catalog's folder, {@link SearchSettings#imagesRoot()}) and only there, so a
 * crafted catalog path cannot reach other files. Uploaded images have no original.
 */
final class OriginalImages {

  private final Path root;

  /**
   * @param root the folder relative references resolve against; null serves no file from disk
   */
  OriginalImages(Path root) {
    this.root = root;
  }

  /** The original of {@code source}, or null when it cannot be served. */
  OriginalImage resolve(String source) {
    if (source == null || source.startsWith(UploadedProducts.UPLOAD_PREFIX)) {
      return null;
    }
    String lower = source.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      try {
        return OriginalImage.remote(new URI(source.strip()));
      } catch (URISyntaxException e) {
        return null;
      }
    }
    if (root == null) {
      return null;
    }
    try {
      Path path = lower.startsWith("file:") ? Path.of(new URI(source.strip())) : Path.of(source);
      Path base = root.toAbsolutePath().normalize();
      Path file = (path.isAbsolute() ? path : base.resolve(path)).normalize();
      if (!file.startsWith(base) || !Files.isRegularFile(file) || !Files.isReadable(file)) {
        return null;
      }
      return OriginalImage.local(file, Files.probeContentType(file));
    } catch (URISyntaxException | IllegalArgumentException e) { // InvalidPathException too
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
