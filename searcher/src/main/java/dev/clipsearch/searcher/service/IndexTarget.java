package dev.clipsearch.searcher.service;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a switch asks for, as {@code clipsearch serve --index DIR --model DIR|NAME} would.
 *
 * @param indexDir the index directory
 * @param model a model directory, or a cached model's name
 */
public record IndexTarget(Path indexDir, String model) {

  public IndexTarget {
    Objects.requireNonNull(indexDir, "indexDir");
    Objects.requireNonNull(model, "model");
    if (model.isBlank()) {
      throw new IllegalArgumentException("model must not be blank");
    }
  }
}
