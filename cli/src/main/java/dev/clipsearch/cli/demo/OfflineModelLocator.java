package dev.clipsearch.cli.demo;

import java.nio.file.Path;
import java.util.Optional;

/** Finds the offline model that ships with clipsearch, when this build has one. */
final class OfflineModelLocator {

  private OfflineModelLocator() {}

  /** The offline model's directory; empty while the project ships none. */
  static Optional<Path> find() {
    return Optional.empty();
  }
}
