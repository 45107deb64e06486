package dev.clipsearch.searcher.server;

import dev.clipsearch.indexer.index.search.LuceneSearchStore;
import dev.clipsearch.indexer.store.SearchStore;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.searcher.service.IndexTarget;
import java.io.IOException;

/**
 * Opens the store a generation serves, for the model that will encode its queries: the embedded
 * index of the target's directory ({@link #EMBEDDED}), or another engine (the command line's
 * SolrCloud collection). Called at start and at every switch; the caller owns the returned store.
 */
@FunctionalInterface
public interface StoreOpener {

  /** The embedded Lucene index in the target's directory, writable when admin routes are on. */
  StoreOpener EMBEDDED =
      (target, model, config) ->
          LuceneSearchStore.open(
              target.indexDir(), model, config.adminEnabled(), config.search().refreshInterval());

  /**
   * Opens the store of {@code target}, refusing one that another model built.
   *
   * @throws dev.clipsearch.indexer.index.ModelMismatchException when another model built it
   * @throws dev.clipsearch.indexer.index.IndexOpenException when there is no usable store there
   */
  SearchStore open(IndexTarget target, ModelSpec model, ServerConfig config) throws IOException;
}
