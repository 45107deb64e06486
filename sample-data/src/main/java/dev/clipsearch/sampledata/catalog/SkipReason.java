package dev.clipsearch.sampledata.catalog;

/** Why an emoji did not become a product; the build counts emoji by reason. */
public enum SkipReason {
  /** Its subgroup is not for sale (faces, people, flags, symbols, places, ...). */
  NOT_A_PRODUCT("not-a-product"),
  /** Its subgroup is for sale but a rule drops this emoji (a face variant, a chart, a sign). */
  DROPPED_BY_RULE("dropped-by-rule"),
  /** None of the selected image styles has a picture of it. */
  NO_IMAGE("no-image");

  private final String key;

  SkipReason(String key) {
    this.key = key;
  }

  /** The reason's name in summaries ({@code not-a-product}). */
  public String key() {
    return key;
  }
}
