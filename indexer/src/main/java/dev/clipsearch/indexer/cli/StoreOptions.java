package dev.clipsearch.indexer.cli;

import dev.clipsearch.indexer.solr.SolrNodes;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options that say where the products are, shared as a picocli mixin by {@code index}, {@code
 * serve}, {@code stats}, {@code delete}, {@code tag} and {@code audit}: {@code --index DIR} (an
 * embedded index) or {@code --solr URL[,URL...]} with {@code --collection NAME} (a SolrCloud
 * collection). Exactly one of {@code --index} and {@code --solr} must be given; {@link #target()}
 * turns them into a {@link StoreTarget} or a usage error naming what is wrong.
 */
public final class StoreOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--index",
      paramLabel = "DIR",
      description = "An embedded index directory (or give --solr).")
  Path index;

  @Option(
      names = "--solr",
      paramLabel = "URL[,URL...]",
      description =
          "A SolrCloud node's base URL, e.g. http://127.0.0.1:8983/solr, or several"
              + " comma-separated for failover (instead of --index).")
  String solr;

  @Option(
      names = "--collection",
      paramLabel = "NAME",
      description =
          "With --solr: the collection (default: " + StoreTarget.DEFAULT_COLLECTION + ").")
  String collection;

  /**
   * The store asked for, with the collection's layout for when it is created.
   *
   * @throws ParameterException when both or neither of --index and --solr are given, when
   *     --collection comes without --solr, or when a URL or the collection name is malformed
   */
  public StoreTarget target(Integer shards, Integer replicas) {
    if (index != null && solr != null) {
      throw usage(
          "--index and --solr are mutually exclusive: give --index DIR for an embedded index, or"
              + " --solr URL for a SolrCloud collection");
    }
    if (index == null && solr == null) {
      throw usage(
          "missing --index DIR (an embedded index) or --solr URL[,URL...] (a SolrCloud"
              + " collection)");
    }
    if (index != null) {
      if (collection != null) {
        throw usage("--collection needs --solr (an embedded --index has no collections)");
      }
      return new StoreTarget.Embedded(index);
    }
    SolrNodes nodes;
    try {
      nodes = SolrNodes.parse(solr);
    } catch (IllegalArgumentException e) {
      throw usage("--solr: " + e.getMessage());
    }
    try {
      return new StoreTarget.Solr(
          nodes,
          collection != null ? collection : StoreTarget.DEFAULT_COLLECTION,
          shards != null ? shards : 1,
          replicas != null ? replicas : 1,
          shards != null || replicas != null);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  /** The store asked for; a collection created from it has one shard and one replica. */
  public StoreTarget target() {
    return target(null, null);
  }

  private ParameterException usage(String message) {
    return new ParameterException(mixee.commandLine(), message);
  }
}
