package dev.clipsearch.indexer.cli;

import dev.clipsearch.indexer.index.IndexMetadata;
import java.util.Arrays;

/** Human-readable renderings of index metadata for the commands. */
final class IndexMetadataText {

  private IndexMetadataText() {}

  static String preprocess(IndexMetadata m) {
    return m.preprocess().size()
        + " px, mean "
        + Arrays.toString(m.preprocess().mean())
        + ", std "
        + Arrays.toString(m.preprocess().std());
  }
}
