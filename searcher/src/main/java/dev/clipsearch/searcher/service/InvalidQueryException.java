package dev.clipsearch.searcher.service;

/**
 * A query the service cannot run as asked, for a reason found beyond the request's syntax (for
 * example a prompt template without a placeholder). Names the offending parameter.
 */
public final class InvalidQueryException extends RuntimeException {

  private final String parameter;

  /**
   * @param parameter the request parameter at fault, as named on the wire
   * @param message what is wrong, for the caller
   */
  public InvalidQueryException(String parameter, String message) {
    super(message);
    this.parameter = parameter;
  }

  /** The request parameter at fault. */
  public String parameter() {
    return parameter;
  }
}
