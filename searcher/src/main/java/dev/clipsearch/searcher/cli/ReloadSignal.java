package dev.clipsearch.searcher.cli;

import dev.clipsearch.searcher.server.SearchServer;
import dev.clipsearch.searcher.service.IndexSwitchException;
import dev.clipsearch.searcher.service.IndexSwitchResult;
import dev.clipsearch.searcher.service.IndexTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGHUP makes {@code clipsearch serve} switch to the index and model at the paths it was started
 * with, re-read: the blue/green way for operators without the admin API is to point a symlink given
 * as {@code --index} (and one given as {@code --model}) at the new index and model, then {@code
 * kill -HUP <pid>}. The outcome is logged; a failed switch leaves the old index serving.
 */
final class ReloadSignal {

  private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

  private ReloadSignal() {}

  /** Installs the handler; on systems without SIGHUP, logs that and does nothing. */
  static void install(SearchServer server, IndexTarget target) {
    try {
      Signal.handle(
          new Signal("HUP"),
          signal ->
              Thread.ofPlatform().name("clipsearch-sighup").start(() -> reload(server, target)));
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      LOG.info("no SIGHUP on this system: switch indexes with POST /api/admin/index");
    }
  }

  /** One switch, as SIGHUP asks. */
  static void reload(SearchServer server, IndexTarget target) {
    LOG.info("SIGHUP: switching to {} with model '{}'", target.indexDir(), target.model());
    try {
      IndexSwitchResult result = server.switchTo(target);
      LOG.info(
          "SIGHUP: now serving {} with model '{}' (generation {})",
          result.index(),
          result.model(),
          result.generation());
    } catch (IndexSwitchException e) {
      LOG.warn("SIGHUP: the index was not switched ({}): {}", e.reason().code(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("SIGHUP: the switch failed", e);
    }
  }
}
