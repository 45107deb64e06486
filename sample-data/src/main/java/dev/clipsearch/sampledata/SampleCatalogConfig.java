package dev.clipsearch.sampledata;

import dev.clipsearch.sampledata.emoji.ImageStyle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a sample catalog build needs, resolved by the command-line layer.
 *
 * @param cacheDir where verified npm tarballs are kept ({@code $CLIPSEARCH_HOME/sample-data/npm})
 * @param outputDir where the catalogs, {@code images/} and {@code LICENSES.md} are written
 * @param sizes which catalogs to write
 * @param styles which image sets to take product images from (the 3D renders are the primary)
 * @param smallCatalogSize how many products the small catalog has
 * @param npmCommand the npm executable ({@code npm} to find it on the {@code PATH})
 * @param npmTimeout the longest one {@code npm pack} may run
 */
public record SampleCatalogConfig(
    Path cacheDir,
    Path outputDir,
    Set<CatalogSize> sizes,
    Set<ImageStyle> styles,
    int smallCatalogSize,
    String npmCommand,
    Duration npmTimeout) {

  /** The small catalog's default size: enough to spread over every category. */
  public static final int DEFAULT_SMALL_CATALOG_SIZE = 200;

  /** How long one {@code npm pack} may take by default. */
  public static final Duration DEFAULT_NPM_TIMEOUT = Duration.ofMinutes(10);

  public SampleCatalogConfig {
    cacheDir = Objects.requireNonNull(cacheDir, "cacheDir").toAbsolutePath().normalize();
    outputDir = Objects.requireNonNull(outputDir, "outputDir").toAbsolutePath().normalize();
    if (sizes.isEmpty()) {
      throw new IllegalArgumentException("choose at least one catalog size");
    }
    if (styles.isEmpty()) {
      throw new IllegalArgumentException("choose at least one image style");
    }
    sizes = Collections.unmodifiableSet(EnumSet.copyOf(sizes));
    styles = Collections.unmodifiableSet(EnumSet.copyOf(styles));
    if (smallCatalogSize < 1) {
      throw new IllegalArgumentException("smallCatalogSize must be positive: " + smallCatalogSize);
    }
    if (npmCommand == null || npmCommand.isBlank()) {
      throw new IllegalArgumentException("npmCommand must name the npm executable");
    }
    if (npmTimeout.isNegative() || npmTimeout.isZero()) {
      throw new IllegalArgumentException("npmTimeout must be positive: " + npmTimeout);
    }
  }

  /** Both catalogs, every image style, {@code npm} from the {@code PATH}. */
  public static SampleCatalogConfig defaults(Path cacheDir, Path outputDir) {
    return new SampleCatalogConfig(
        cacheDir,
        outputDir,
        EnumSet.allOf(CatalogSize.class),
        EnumSet.allOf(ImageStyle.class),
        DEFAULT_SMALL_CATALOG_SIZE,
        "npm",
        DEFAULT_NPM_TIMEOUT);
  }

  public SampleCatalogConfig withSizes(Set<CatalogSize> newSizes) {
    return new SampleCatalogConfig(
        cacheDir, outputDir, newSizes, styles, smallCatalogSize, npmCommand, npmTimeout);
  }

  public SampleCatalogConfig withStyles(Set<ImageStyle> newStyles) {
    return new SampleCatalogConfig(
        cacheDir, outputDir, sizes, newStyles, smallCatalogSize, npmCommand, npmTimeout);
  }

  public SampleCatalogConfig withNpmCommand(String newNpmCommand) {
    return new SampleCatalogConfig(
        cacheDir, outputDir, sizes, styles, smallCatalogSize, newNpmCommand, npmTimeout);
  }
}
