package dev.clipsearch.sampledata;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a sample catalog build produced.
 *
 * @param outputDir the folder holding the catalogs and {@code images/}
 * @param catalogs each written catalog with its counts, in {@link CatalogSize} order
 * @param images image files under {@code images/}
 * @param skipped emoji that did not become products, by {@linkplain
 *     dev.clipsearch.sampledata.catalog.SkipReason#key() reason}, in name order
 * @param upToDate true when an earlier build was already complete and nothing was done
 * @param elapsed how long the call took
 */
public record BuildSummary(
    Path outputDir,
    Map<CatalogSize, CatalogStats> catalogs,
    int images,
    Map<String, Integer> skipped,
    boolean upToDate,
    Duration elapsed) {

  /**
   * One written catalog.
   *
   * @param file the JSON Lines file
   * @param products its products
   * @param categories its distinct category paths
   */
  public record CatalogStats(Path file, int products, int categories) {}

  public BuildSummary {
    catalogs =
        catalogs.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new EnumMap<>(catalogs)); // FULL before SMALL
    skipped = Collections.unmodifiableSortedMap(new TreeMap<>(skipped));
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /**
   * The file of the {@code size} catalog.
   *
   * @throws IllegalStateException when this build did not write it
   */
  public Path catalog(CatalogSize size) {
    CatalogStats stats = catalogs.get(size);
    if (stats == null) {
      throw new IllegalStateException("the build did not write the " + size + " catalog");
    }
    return stats.file();
  }
}
