package dev.clipsearch.searcher.service;

/**
 * Switches a running server to another index and the model that built it, without downtime: the new
 * pair is opened and warmed while the old one keeps serving, then replaces it at once. Requests in
 * flight finish on the pair they started with. Implementations are thread-safe and run one switch
 * at a time.
 */
public interface IndexSwitcher {

  /**
   * Opens, checks and warms {@code target}, then serves it.
   *
   * @throws IndexSwitchException when the switch cannot be made; the old index keeps serving
   */
  IndexSwitchResult switchTo(IndexTarget target);
}
