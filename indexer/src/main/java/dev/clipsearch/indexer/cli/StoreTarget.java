package dev.clipsearch.indexer.cli;

import dev.clipsearch.indexer.solr.SolrCollectionSpec;
import dev.clipsearch.indexer.solr.SolrModelIdentity;
import dev.clipsearch.indexer.solr.SolrNodes;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a command's products live: an embedded Lucene index in a directory ({@code --index DIR}),
 * or a SolrCloud collection ({@code --solr URL[,URL...] --collection NAME}). Built once by {@link
 * StoreOptions} for {@code index}, {@code serve}, {@code stats}, {@code delete}, {@code tag} and
 * {@code audit}, so no command parses these options itself.
 */
public sealed interface StoreTarget permits StoreTarget.Embedded, StoreTarget.Solr {

  /** The collection name when {@code --collection} is not given. */
  String DEFAULT_COLLECTION = "products";

  /** Where it is, for messages: {@code index DIR}, or the collection at its URLs. */
  String describe();

  /**
   * An embedded Lucene index.
   *
   * @param dir the index directory
   */
  record Embedded(Path dir) implements StoreTarget {
    public Embedded {
      Objects.requireNonNull(dir, "dir");
    }

    @Override
    public String describe() {
      return "index " + dir;
    }
  }

  /**
   * A SolrCloud collection.
   *
   * @param nodes the base URLs of one or more nodes (any node answers every request)
   * @param collection the collection name
   * @param shards shards of the collection when {@code index} creates it
   * @param replicas copies of each shard when {@code index} creates it
   * @param layoutGiven whether the shards and replicas were asked for ({@code --shards}, {@code
   *     --replicas}): then an existing collection with another layout is refused, not silently used
   *     as it is
   */
  record Solr(SolrNodes nodes, String collection, int shards, int replicas, boolean layoutGiven)
      implements StoreTarget {
    public Solr {
      Objects.requireNonNull(nodes, "nodes");
      Objects.requireNonNull(collection, "collection");
      // the same checks (and messages) as the collection spec made from it later
      SolrCollectionSpec.withDefaults(
          collection, shards, replicas, new SolrModelIdentity("check", 1, "check"));
    }

    /** A collection with this layout, asked for explicitly. */
    public Solr(SolrNodes nodes, String collection, int shards, int replicas) {
      this(nodes, collection, shards, replicas, true);
    }

    /** A collection of one shard and one replica when it has to be created; any when it exists. */
    public Solr(SolrNodes nodes, String collection) {
      this(nodes, collection, 1, 1, false);
    }

    @Override
    public String describe() {
      return "Solr collection '" + collection + "' at " + nodes;
    }
  }
}
