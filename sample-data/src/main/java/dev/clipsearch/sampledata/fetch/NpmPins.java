package dev.clipsearch.sampledata.fetch;

/**
 * The npm packages the sample catalog is built from, pinned to exact versions and the registry's
 * {@code dist.integrity} of their tarballs. Licences are recorded in {@code
 * sample-data/LICENSES.md}.
 */
public final class NpmPins {

  /** Emoji names, keywords, groups and subgroups (MIT). */
  public static final NpmPackage EMOJIBASE_DATA =
      NpmPackage.of(
          "emojibase-data",
          "17.0.0",
          "sha512-Yvgb5AWoHViHV/gq1qr5ZAarcBip+B27/ZLRsUJkbgAEaLlZ/fof9g882LTpmEpyhBNEC0m2SEmItljHsTygjA==");

  /** Microsoft's Fluent Emoji 3D renders as 256 px WebP (MIT). */
  public static final NpmPackage FLUENT_EMOJI_3D =
      NpmPackage.of(
          "@lobehub/fluent-emoji-3d",
          "1.1.0",
          "sha512-Wlq2lVStTnr8BDpIJ0pEnTKO4LuDxxqTEhTvRtD1DLRF0me7ogeRQjKoehDHXuVJ2Qaecgl5wRBv60lUAG3h7g==");

  /** Google's Noto emoji as 64 px PNG (images Apache-2.0, package MIT). */
  public static final NpmPackage EMOJI_DATASOURCE_GOOGLE =
      NpmPackage.of(
          "emoji-datasource-google",
          "16.0.0",
          "sha512-ZRexfzs7MVoLnmzZmNsO4TKhnAJp5D++Vm6PpUpH/jEQQlemp3l88CjZ+DoZ2faM9R4QxZkOPJCoT8DlPhfQ3A==");

  /** Twemoji as 64 px PNG (images CC-BY 4.0, package MIT). */
  public static final NpmPackage EMOJI_DATASOURCE_TWITTER =
      NpmPackage.of(
          "emoji-datasource-twitter",
          "16.0.0",
          "sha512-7F+uCuHH+7Qnrc15P5tnbvKkg9E6tlzi4MnT2uW1RlN4pLYTza6cP/dstIfSDMtpjFLWuZewWg8jBbuL2eyELQ==");

  private NpmPins() {}
}
