package dev.clipsearch.sampledata.emoji;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.sampledata.SampleDataException;
import dev.clipsearch.sampledata.fetch.SafeTarGz;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which emoji an image set has a picture of, and under which tarball entry. Looks an emoji up by
 * its fully qualified code points first and without the variation selector U+FE0F second, since
 * sets differ in which form names the file.
 */
public final class ImageIndex {

  /** The emoji-datasource metadata entry listing each emoji's image and which sets draw it. */
  static final String EMOJI_DATASOURCE_JSON = "package/emoji.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ImageStyle style;
  private final Map<String, String> fileByCodePoints;

  private ImageIndex(ImageStyle style, Map<String, String> fileByCodePoints) {
    this.style = Objects.requireNonNull(style, "style");
    this.fileByCodePoints = Map.copyOf(fileByCodePoints);
  }

  /**
   * An index from code points ({@code 1f34e}) to image file names inside the style's image folder
   * ({@code 1f34e.webp}).
   */
  public static ImageIndex of(ImageStyle style, Map<String, String> fileByCodePoints) {
    return new ImageIndex(style, fileByCodePoints);
  }

  /**
   * Reads the index of {@code style} from its package tarball: the files in its image folder, and
   * for emoji-datasource packages only those {@code emoji.json} flags as the set's own.
   */
  public static ImageIndex read(ImageStyle style, Path tarball) {
    Set<String> files = new HashSet<>();
    byte[][] metadata = {null};
    SafeTarGz.forEachFile(
        tarball,
        (name, size, content) -> {
          if (name.startsWith(style.imageDir())
              && name.endsWith(style.extension())
              && name.indexOf('/', style.imageDir().length()) < 0) {
            files.add(name.substring(style.imageDir().length()));
          } else if (style.emojiDatasourceFlag() != null && name.equals(EMOJI_DATASOURCE_JSON)) {
            metadata[0] = content.readAllBytes();
          }
        });
    if (files.isEmpty()) {
      throw new SampleDataException(
          tarball + " has no " + style.extension() + " files under " + style.imageDir());
    }
    Map<String, String> index = new HashMap<>();
    if (style.emojiDatasourceFlag() == null) {
      for (String file : files) {
        index.put(file.substring(0, file.length() - style.extension().length()), file);
      }
    } else {
      if (metadata[0] == null) {
        throw new SampleDataException(tarball + " has no " + EMOJI_DATASOURCE_JSON);
      }
      indexEmojiDatasource(style, tarball, metadata[0], files, index);
    }
    return new ImageIndex(style, index);
  }

  private static void indexEmojiDatasource(
      ImageStyle style, Path tarball, byte[] json, Set<String> files, Map<String, String> index) {
    JsonNode emojis;
    try {
      emojis = JSON.readTree(json);
    } catch (IOException e) {
      throw new SampleDataException(
          tarball + ": " + EMOJI_DATASOURCE_JSON + " is not valid JSON: " + e.getMessage(), e);
    }
    for (JsonNode emoji : emojis) {
      String image = emoji.path("image").asText("");
      if (!emoji.path(style.emojiDatasourceFlag()).asBoolean(false) || !files.contains(image)) {
        continue;
      }
      for (String field : new String[] {"unified", "non_qualified"}) {
        JsonNode codePoints = emoji.get(field);
        if (codePoints != null && codePoints.isTextual()) {
          index.putIfAbsent(codePoints.asText().toLowerCase(Locale.ROOT), image);
        }
      }
    }
  }

  public ImageStyle style() {
    return style;
  }

  /** How many emoji the set has images of (counting alternative code point spellings). */
  public int size() {
    return fileByCodePoints.size();
  }

  /** The image file name of {@code entry} in this set ({@code 1f34e.webp}), if the set has one. */
  public Optional<String> fileOf(EmojiEntry entry) {
    String file = fileByCodePoints.get(entry.codePoints());
    if (file == null) {
      file = fileByCodePoints.get(entry.codePointsWithoutVariationSelector());
    }
    return Optional.ofNullable(file);
  }

  /** The tarball entry of an image file named by {@link #fileOf}. */
  public String tarEntryOf(String file) {
    return style.imageDir() + file;
  }
}
