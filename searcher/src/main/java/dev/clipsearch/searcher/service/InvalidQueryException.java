package dev.clipsearch.searcher.service;

/**
 * A query that is well-formed but cannot be searched, such as composed parts that cancel each other
 * out. The HTTP layer answers 400 naming {@link #parameter()}.
 */
public final class InvalidQueryException extends RuntimeException {

  private final String parameter;

  public InvalidQueryException(String parameter, String message) {
    super(message);
    this.parameter = parameter;
  }

  /** The request parameter at fault, such as {@code parts} or {@code parts[2]}. */
  public String parameter() {
    return parameter;
  }
}
