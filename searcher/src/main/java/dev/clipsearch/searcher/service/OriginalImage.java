package dev.clipsearch.searcher.service;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where the original file of a product image is: a local file the server may send, or a remote URL
 * the client is redirected to. Exactly one of {@code file} and {@code remote} is set.
 *
 * @param file a readable local file, or {@code null}
 * @param remote an http(s) URL, or {@code null}
 * @param mediaType the file's media type when known (local files), else {@code null}
 */
public record OriginalImage(Path file, URI remote, String mediaType) {

  public OriginalImage {
    if ((file == null) == (remote == null)) {
      throw new IllegalArgumentException("exactly one of file and remote must be set");
    }
  }

  public static OriginalImage local(Path file, String mediaType) {
    return new OriginalImage(file, null, mediaType);
  }

  public static OriginalImage remote(URI uri) {
    return new OriginalImage(null, uri, null);
  }
}
