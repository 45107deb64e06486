package dev.clipsearch.cli.demo;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The model the demo runs, and why it was chosen: the one line the demo prints about its model.
 *
 * @param directory the model directory
 * @param name a short name, used to keep one demo index per model
 * @param source how the model was found
 * @param why the reason in words, for the user
 */
public record ModelChoice(Path directory, String name, Source source, String why) {

  /** How the model was found, in the order the demo looks. */
  public enum Source {
    /** Given with {@code --model}. */
    EXPLICIT,
    /** Downloaded earlier by {@code clipsearch models fetch}. */
    CACHED,
    /** Downloaded now from Hugging Face. */
    FETCHED,
    /** The small offline model that ships with clipsearch. */
    OFFLINE
  }

  public ModelChoice {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(why, "why");
  }

  /** {@code model: NAME (WHY)}. */
  public String describe() {
    return "model: " + name + " (" + why + ")";
  }
}
