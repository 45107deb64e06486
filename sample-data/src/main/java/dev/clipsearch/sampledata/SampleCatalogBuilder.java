package dev.clipsearch.sampledata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.sampledata.catalog.CatalogRules;
import dev.clipsearch.sampledata.catalog.CatalogWriter;
import dev.clipsearch.sampledata.catalog.ProductMapper;
import dev.clipsearch.sampledata.catalog.SmallCatalog;
import dev.clipsearch.sampledata.emoji.EmojiEntry;
import dev.clipsearch.sampledata.emoji.Emojibase;
import dev.clipsearch.sampledata.emoji.ImageIndex;
import dev.clipsearch.sampledata.emoji.ImageStyle;
import dev.clipsearch.sampledata.fetch.NpmPackage;
import dev.clipsearch.sampledata.fetch.NpmPins;
import dev.clipsearch.sampledata.fetch.NpmTarballs;
import dev.clipsearch.sampledata.fetch.SafeTarGz;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the demo catalog from pinned npm packages: emoji names, keywords and groups from
 * emojibase-data, images from the emoji image sets of {@link ImageStyle}. Product-like emoji become
 * products through the {@link CatalogRules}; the result is {@code catalog.jsonl} and/or {@code
 * catalog-small.jsonl}, {@code images/<style>/<file>} and {@code LICENSES.md} in the output folder.
 *
 * <p>Idempotent: a stamp file records what was built from what; when it matches the config, the
 * catalogs are there and every image they list exists, {@link #build()} returns at once.
 */
public final class SampleCatalogBuilder {

  /** The stamp file in the output folder, written last. */
  static final String STAMP = ".sample-catalog.json";

  /** The licence notices written beside the catalogs. */
  static final String LICENSES = "LICENSES.md";

  private static final int FORMAT = 1;
  private static final Logger log = LoggerFactory.getLogger(SampleCatalogBuilder.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SampleCatalogConfig config;
  private final CatalogRules rules;
  private final NpmTarballs tarballs;

  /** A builder with the built-in catalog rules. */
  public SampleCatalogBuilder(SampleCatalogConfig config) {
    this(config, CatalogRules.builtIn());
  }

  /** A builder with other catalog rules. */
  public SampleCatalogBuilder(SampleCatalogConfig config, CatalogRules rules) {
    this.config = config;
    this.rules = rules;
    this.tarballs = new NpmTarballs(config.cacheDir(), config.npmCommand(), config.npmTimeout());
  }

  /** The packages this build reads: emojibase-data and one per selected image style. */
  public List<NpmPackage> packages() {
    List<NpmPackage> packages = new ArrayList<>();
    packages.add(NpmPins.EMOJIBASE_DATA);
    config.styles().forEach(style -> packages.add(style.npmPackage()));
    return packages;
  }

  /**
   * Builds the configured catalogs, or returns at once when an earlier build already did.
   *
   * @throws SampleDataException when a package cannot be fetched or verified, or an archive or data
   *     file is malformed; the message says what to do
   */
  public BuildSummary build() {
    long started = System.nanoTime();
    String recipe = recipe();
    Optional<BuildSummary> done = upToDate(recipe, started);
    if (done.isPresent()) {
      log.info("sample catalog in {} is up to date", config.outputDir());
      return done.get();
    }
    log.info("building the sample catalog: {}", config);
    try {
      return buildFresh(recipe, started);
    } catch (IOException e) {
      throw new SampleDataException(
          "cannot write the sample catalog in " + config.outputDir() + ": " + e, e);
    }
  }

  private BuildSummary buildFresh(String recipe, long started) throws IOException {
    Path emojibase = tarballs.fetch(NpmPins.EMOJIBASE_DATA);
    Map<ImageStyle, Path> imageTarballs = new EnumMap<>(ImageStyle.class);
    for (ImageStyle style : config.styles()) {
      imageTarballs.put(style, tarballs.fetch(style.npmPackage()));
    }

    List<EmojiEntry> entries = Emojibase.read(emojibase);
    List<ImageIndex> indexes = new ArrayList<>();
    imageTarballs.forEach((style, tarball) -> indexes.add(ImageIndex.read(style, tarball)));

    ProductMapper mapper = new ProductMapper(rules, indexes);
    List<Product> products = new ArrayList<>();
    Map<String, Integer> skipped = new TreeMap<>();
    Set<String> ids = new HashSet<>();
    for (EmojiEntry entry : entries) {
      switch (mapper.map(entry)) {
        case ProductMapper.Outcome.Mapped mapped -> {
          if (!ids.add(mapped.product().id())) {
            throw new SampleDataException(
                "two emoji give the product id '"
                    + mapped.product().id()
                    + "' ("
                    + entry.label()
                    + ")");
          }
          products.add(mapped.product());
        }
        case ProductMapper.Outcome.Skipped skip ->
            skipped.merge(skip.reason().key(), 1, Integer::sum);
      }
    }
    log.info("{} emoji: {} products, skipped {}", entries.size(), products.size(), skipped);

    Map<CatalogSize, List<Product>> catalogs = new EnumMap<>(CatalogSize.class);
    for (CatalogSize size : config.sizes()) {
      catalogs.put(
          size,
          size == CatalogSize.FULL
              ? products
              : SmallCatalog.select(products, config.smallCatalogSize()));
    }

    removeEarlierBuild();
    int images = extractImages(catalogs.values(), indexes, imageTarballs);
    Map<CatalogSize, BuildSummary.CatalogStats> stats = new EnumMap<>(CatalogSize.class);
    for (Map.Entry<CatalogSize, List<Product>> catalog : catalogs.entrySet()) {
      Path file = config.outputDir().resolve(catalog.getKey().fileName());
      CatalogWriter.write(file, catalog.getValue());
      stats.put(catalog.getKey(), stats(file, catalog.getValue()));
    }
    copyLicenses();
    BuildSummary summary =
        new BuildSummary(config.outputDir(), stats, images, skipped, false, since(started));
    writeStamp(recipe, summary);
    log.info(
        "sample catalog written to {} in {} ms", config.outputDir(), summary.elapsed().toMillis());
    return summary;
  }

  private int extractImages(
      Iterable<List<Product>> catalogs, List<ImageIndex> indexes, Map<ImageStyle, Path> tarballs) {
    Set<String> wanted = new LinkedHashSet<>();
    catalogs.forEach(catalog -> catalog.forEach(p -> wanted.addAll(p.images())));
    int written = 0;
    for (ImageIndex index : indexes) {
      String prefix = ProductMapper.imagePath(index, "");
      Map<String, String> destinationByEntry = new HashMap<>();
      for (String path : wanted) {
        if (path.startsWith(prefix)) {
          destinationByEntry.put(index.tarEntryOf(path.substring(prefix.length())), path);
        }
      }
      Path tarball = tarballs.get(index.style());
      int count = SafeTarGz.extract(tarball, config.outputDir(), destinationByEntry::get);
      if (count != destinationByEntry.size()) {
        throw new SampleDataException(
            tarball + ": extracted " + count + " of " + destinationByEntry.size() + " images");
      }
      log.info("{}: {} images", index.style(), count);
      written += count;
    }
    return written;
  }

  private static BuildSummary.CatalogStats stats(Path file, List<Product> products) {
    int categories = (int) products.stream().map(Product::category).distinct().count();
    return new BuildSummary.CatalogStats(file, products.size(), categories);
  }

  private void copyLicenses() throws IOException {
    try (InputStream in = SampleCatalogBuilder.class.getResourceAsStream(LICENSES)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + LICENSES + " beside " + getClass());
      }
      Files.write(config.outputDir().resolve(LICENSES), in.readAllBytes());
    }
  }

  /** Deletes what an earlier build wrote, and only that, stamp first. */
  private void removeEarlierBuild() throws IOException {
    Path out = config.outputDir();
    Files.createDirectories(out);
    Files.deleteIfExists(out.resolve(STAMP));
    for (CatalogSize size : CatalogSize.values()) {
      Files.deleteIfExists(out.resolve(size.fileName()));
    }
    Files.deleteIfExists(out.resolve(LICENSES));
    for (ImageStyle style : ImageStyle.values()) {
      deleteTree(out.resolve(ProductMapper.IMAGES_DIR).resolve(style.id()));
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** What the output depends on besides the sizes: a different recipe means rebuild. */
  private String recipe() {
    StringBuilder recipe = new StringBuilder("format=" + FORMAT);
    packages().forEach(p -> recipe.append(";").append(p.spec()).append("=").append(p.integrity()));
    recipe.append(";styles=").append(config.styles());
    recipe.append(";small=").append(config.smallCatalogSize());
    recipe.append(";rules=").append(rules.digest());
    return recipe.toString();
  }

  private void writeStamp(String recipe, BuildSummary summary) throws IOException {
    ObjectNode stamp = JSON.createObjectNode();
    stamp.put("recipe", recipe);
    ObjectNode catalogs = stamp.putObject("catalogs");
    summary
        .catalogs()
        .forEach(
            (size, s) ->
                catalogs
                    .putObject(size.name())
                    .put("file", size.fileName())
                    .put("products", s.products())
                    .put("categories", s.categories()));
    stamp.put("images", summary.images());
    ObjectNode skipped = stamp.putObject("skipped");
    new TreeMap<>(summary.skipped()).forEach(skipped::put);
    Files.writeString(
        config.outputDir().resolve(STAMP),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(stamp),
        StandardCharsets.UTF_8);
  }

  /**
   * The earlier build's summary, when its stamp matches {@code recipe}, it wrote every requested
   * catalog and every image those catalogs list is in place.
   */
  private Optional<BuildSummary> upToDate(String recipe, long started) {
    Path out = config.outputDir();
    Path stampFile = out.resolve(STAMP);
    if (!Files.isRegularFile(stampFile)) {
      return Optional.empty();
    }
    try {
      JsonNode stamp = JSON.readTree(stampFile.toFile());
      if (!recipe.equals(stamp.path("recipe").asText())) {
        log.info("sample catalog in {} was built from other inputs; rebuilding", out);
        return Optional.empty();
      }
      Map<CatalogSize, BuildSummary.CatalogStats> stats = new EnumMap<>(CatalogSize.class);
      for (CatalogSize size : EnumSet.allOf(CatalogSize.class)) {
        JsonNode entry = stamp.path("catalogs").path(size.name());
        if (entry.isMissingNode()) {
          if (config.sizes().contains(size)) {
            return Optional.empty();
          }
          continue;
        }
        Path file = out.resolve(size.fileName());
        if (!Files.isRegularFile(file) || !imagesInPlace(file)) {
          log.info("sample catalog {} or one of its images is missing; rebuilding", file);
          return Optional.empty();
        }
        stats.put(
            size,
            new BuildSummary.CatalogStats(
                file, entry.path("products").asInt(), entry.path("categories").asInt()));
      }
      Map<String, Integer> skipped = new TreeMap<>();
      stamp
          .path("skipped")
          .properties()
          .forEach(e -> skipped.put(e.getKey(), e.getValue().asInt()));
      return Optional.of(
          new BuildSummary(
              out, stats, stamp.path("images").asInt(), skipped, true, since(started)));
    } catch (IOException | UncheckedIOException e) {
      log.info("cannot read the sample catalog stamp {} ({}); rebuilding", stampFile, e.toString());
      return Optional.empty();
    }
  }

  private static boolean imagesInPlace(Path catalog) throws IOException {
    Path dir = catalog.getParent();
    try (Stream<String> lines = Files.lines(catalog, StandardCharsets.UTF_8)) {
      for (String line : (Iterable<String>) lines::iterator) {
        for (JsonNode image : JSON.readTree(line).path("images")) {
          if (!Files.isRegularFile(dir.resolve(image.asText()))) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private static Duration since(long started) {
    return Duration.ofNanos(System.nanoTime() - started);
  }
}
