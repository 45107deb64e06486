package dev.clipsearch.indexer.report;

import java.util.Objects;

/**
 * One image of a product that could not be used.
 *
 * @param index position of the image in the product's {@code images} list, from 0
 * @param source the image reference as written in the catalog
 * @param reason why
 * @param message details naming the file or URL
 */
public record ImageFailure(int index, String source, FailureReason reason, String message) {
  public ImageFailure {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }
}
