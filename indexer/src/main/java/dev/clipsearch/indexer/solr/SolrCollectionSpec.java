package dev.clipsearch.indexer.solr;

import dev.clipsearch.indexer.index.IndexSchema;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a clipsearch collection is made of, for creating it: its name, its layout over the cluster
 * and the vector field's model and HNSW parameters (the same options as the embedded index).
 *
 * @param name the collection name ({@code products} by default in the CLI)
 * @param shards how many shards (each a separate HNSW graph, searched in parallel)
 * @param replicas copies of each shard (2 or more survive the loss of a node)
 * @param model the model whose vectors the collection holds
 * @param hnswMaxConnections HNSW connections per node (Lucene's M; default 16)
 * @param hnswBeamWidth HNSW build beam width (default 100)
 */
public record SolrCollectionSpec(
    String name,
    int shards,
    int replicas,
    SolrModelIdentity model,
    int hnswMaxConnections,
    int hnswBeamWidth) {

  /** Solr 9 / Lucene 9's largest vector dimension for DenseVectorField. */
  public static final int MAX_DIMENSION = 1024;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  public SolrCollectionSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(model, "model");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "bad collection name '"
              + name
              + "': use letters, digits, '.', '_' and '-', starting with a letter or digit");
    }
    if (shards < 1) {
      throw new IllegalArgumentException("--shards must be at least 1, got " + shards);
    }
    if (replicas < 1) {
      throw new IllegalArgumentException("--replicas must be at least 1, got " + replicas);
    }
    if (hnswMaxConnections < 2 || hnswMaxConnections > 512) {
      throw new IllegalArgumentException(
          "HNSW max connections must be in 2..512, got " + hnswMaxConnections);
    }
    if (hnswBeamWidth < 1 || hnswBeamWidth > 3200) {
      throw new IllegalArgumentException(
          "HNSW beam width must be in 1..3200, got " + hnswBeamWidth);
    }
  }

  /** A spec with the embedded index's HNSW defaults (M 16, beam width 100). */
  public static SolrCollectionSpec withDefaults(
      String name, int shards, int replicas, SolrModelIdentity model) {
    return new SolrCollectionSpec(name, shards, replicas, model, 16, 100);
  }

  /** The config set clipsearch uploads for this collection: one per collection. */
  public String configSetName() {
    return "clipsearch-" + name;
  }

  /** The vector field, named after the model as in the embedded index. */
  public String vectorField() {
    return IndexSchema.vectorFieldName(model.modelId());
  }
}
