package dev.clipsearch.sampledata.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clipsearch.sampledata.SampleDataException;
import dev.clipsearch.sampledata.catalog.CatalogRules;
import dev.clipsearch.sampledata.catalog.ProductMapper;
import dev.clipsearch.sampledata.emoji.EmojiEntry;
import dev.clipsearch.sampledata.emoji.Emojibase;
import dev.clipsearch.sampledata.emoji.ImageIndex;
import dev.clipsearch.sampledata.emoji.ImageStyle;
import dev.clipsearch.sampledata.fetch.NpmPins;
import dev.clipsearch.sampledata.fetch.NpmTarballs;
import dev.clipsearch.sampledata.fetch.SafeTarGz;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes every emoji that has an image in at least one {@link ImageStyle} as one training concept:
 * {@code concepts.jsonl} (id, label, tags, group, subgroup, the shop category when the emoji is a
 * product of the sample catalog, and one image path per style) and the images under {@code
 * images/<style>/<file>}. Emoji whose id repeats an earlier one are left out and counted.
 */
public final class TrainingSetExporter {

  /** The concept list written in the output folder. */
  public static final String CONCEPTS = "concepts.jsonl";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final NpmTarballs tarballs;
  private final CatalogRules rules;

  /** An exporter reading the pinned packages through {@code tarballs}. */
  public TrainingSetExporter(NpmTarballs tarballs, CatalogRules rules) {
    this.tarballs = tarballs;
    this.rules = rules;
  }

  /**
   * What was written.
   *
   * @param concepts concepts written
   * @param imagesByStyle images extracted per style
   * @param skipped emoji left out, by reason
   */
  public record Summary(
      int concepts, Map<ImageStyle, Integer> imagesByStyle, Map<String, Integer> skipped) {}

  /**
   * Exports the training set into {@code outDir}.
   *
   * @throws SampleDataException when a package cannot be fetched or read, or the output cannot be
   *     written
   */
  public Summary export(Path outDir) {
    List<EmojiEntry> entries = Emojibase.read(tarballs.fetch(NpmPins.EMOJIBASE_DATA));
    Map<ImageStyle, ImageIndex> indexes = new EnumMap<>(ImageStyle.class);
    Map<ImageStyle, Path> archives = new EnumMap<>(ImageStyle.class);
    for (ImageStyle style : ImageStyle.values()) {
      Path archive = tarballs.fetch(style.npmPackage());
      archives.put(style, archive);
      indexes.put(style, ImageIndex.read(style, archive));
    }
    ProductMapper products = new ProductMapper(rules, List.copyOf(indexes.values()));
    Map<ImageStyle, Map<String, String>> destinations = new EnumMap<>(ImageStyle.class);
    indexes.keySet().forEach(style -> destinations.put(style, new HashMap<>()));
    Map<String, Integer> skipped = new TreeMap<>();
    Set<String> ids = new HashSet<>();
    int concepts = 0;
    try {
      Files.createDirectories(outDir);
      try (BufferedWriter out =
          Files.newBufferedWriter(outDir.resolve(CONCEPTS), StandardCharsets.UTF_8)) {
        for (EmojiEntry entry : entries) {
          String id = ProductMapper.slug(entry.label());
          Map<ImageStyle, String> files = new EnumMap<>(ImageStyle.class);
          indexes.forEach(
              (style, index) -> index.fileOf(entry).ifPresent(f -> files.put(style, f)));
          if (files.isEmpty()) {
            skipped.merge("no-image", 1, Integer::sum);
            continue;
          }
          if (!ids.add(id)) {
            skipped.merge("duplicate-id", 1, Integer::sum);
            continue;
          }
          ObjectNode images = JSON.createObjectNode();
          files.forEach(
              (style, file) -> {
                ImageIndex index = indexes.get(style);
                String path = ProductMapper.imagePath(index, file);
                images.put(style.id(), path);
                destinations.get(style).put(index.tarEntryOf(file), path);
              });
          ObjectNode line = JSON.createObjectNode();
          line.put("id", id).put("label", entry.label());
          entry.tags().forEach(line.putArray("tags")::add);
          line.put("group", entry.group()).put("subgroup", entry.subgroup());
          if (products.map(entry) instanceof ProductMapper.Outcome.Mapped mapped) {
            line.put("category", mapped.product().category());
          } else {
            line.putNull("category");
          }
          line.set("images", images);
          out.write(JSON.writeValueAsString(line));
          out.newLine();
          concepts++;
        }
      }
    } catch (IOException e) {
      throw new SampleDataException("cannot write the training set in " + outDir + ": " + e, e);
    }
    Map<ImageStyle, Integer> written = new EnumMap<>(ImageStyle.class);
    for (ImageStyle style : indexes.keySet()) {
      Map<String, String> wanted = destinations.get(style);
      written.put(style, SafeTarGz.extract(archives.get(style), outDir, wanted::get));
    }
    return new Summary(concepts, written, skipped);
  }
}
