package dev.clipsearch.sampledata.emoji;

import dev.clipsearch.sampledata.fetch.NpmPackage;
import dev.clipsearch.sampledata.fetch.NpmPins;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * An emoji image set used for product images, in the order a product lists its images: the 3D
 * render first. Images are copied to {@code images/<id>/<file>} beside the catalog.
 */
public enum ImageStyle {
  /** Fluent Emoji 3D renders, 256 x 256 WebP with alpha; named by code points. */
  FLUENT_3D("fluent-3d", NpmPins.FLUENT_EMOJI_3D, "package/assets/", ".webp", null),
  /** Google Noto emoji, 64 x 64 PNG; listed in the package's {@code emoji.json}. */
  NOTO("noto", NpmPins.EMOJI_DATASOURCE_GOOGLE, "package/img/google/64/", ".png", "has_img_google"),
  /** Twemoji, 64 x 64 PNG; listed in the package's {@code emoji.json}. */
  TWEMOJI(
      "twemoji",
      NpmPins.EMOJI_DATASOURCE_TWITTER,
      "package/img/twitter/64/",
      ".png",
      "has_img_twitter");

  private final String id;
  private final NpmPackage npmPackage;
  private final String imageDir;
  private final String extension;
  private final String emojiDatasourceFlag;

  ImageStyle(
      String id,
      NpmPackage npmPackage,
      String imageDir,
      String extension,
      String emojiDatasourceFlag) {
    this.id = id;
    this.npmPackage = npmPackage;
    this.imageDir = imageDir;
    this.extension = extension;
    this.emojiDatasourceFlag = emojiDatasourceFlag;
  }

  /** The style's name on the command line and in image paths ({@code fluent-3d}). */
  public String id() {
    return id;
  }

  /** The pinned npm package holding the images. */
  public NpmPackage npmPackage() {
    return npmPackage;
  }

  /** The tarball folder holding the images, with a trailing slash. */
  String imageDir() {
    return imageDir;
  }

  /** The image file extension, with its dot. */
  String extension() {
    return extension;
  }

  /**
   * For emoji-datasource packages, the {@code emoji.json} flag saying the set has its own image
   * (not a fallback from another set with another licence); {@code null} for plain image folders.
   */
  String emojiDatasourceFlag() {
    return emojiDatasourceFlag;
  }

  /**
   * The style with this {@link #id()}.
   *
   * @throws IllegalArgumentException naming the known styles
   */
  public static ImageStyle fromId(String id) {
    for (ImageStyle style : values()) {
      if (style.id.equals(id)) {
        return style;
      }
    }
    throw new IllegalArgumentException(
        "unknown image style '"
            + id
            + "'; known: "
            + Arrays.stream(values()).map(ImageStyle::id).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return id;
  }
}
