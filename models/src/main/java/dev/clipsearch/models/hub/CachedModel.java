package dev.clipsearch.models.hub;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A model directory in the cache.
 *
 * @param name directory name, which is what {@link ModelCache#resolve} accepts
 * @param path the directory
 * @param sizeOnDisk total bytes of its regular files
 * @param files its files, relative to {@code path}, sorted, the receipt left out
 * @param receipt where it came from, when {@code clipsearch models fetch} installed it
 */
public record CachedModel(
    String name, Path path, long sizeOnDisk, List<String> files, Optional<InstallReceipt> receipt) {

  public CachedModel {
    files = List.copyOf(files);
  }
}
