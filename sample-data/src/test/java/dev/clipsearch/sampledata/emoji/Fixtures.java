package dev.clipsearch.sampledata.emoji;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The emojibase fixture in test resources ({@code emoji/README.md} says what it holds). */
public final class Fixtures {

  private Fixtures() {}

  public static byte[] resource(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fixture's emoji. */
  public static List<EmojiEntry> emoji() {
    return Emojibase.parse(resource("data.json"), resource("groups.json"));
  }

  /** The fixture emoji with this label. */
  public static EmojiEntry emoji(String label) {
    return emoji().stream()
        .filter(e -> e.label().equals(label))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no fixture emoji '" + label + "'"));
  }
}
