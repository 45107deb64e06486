package dev.clipsearch.indexer.solr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.indexer.index.IndexSchema;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * What {@code clipsearch stats --solr} shows of a collection, like {@code IndexStats} for the
 * embedded index: counts of what searches see now, the model, and how the last committed run ended.
 *
 * @param location the collection and its nodes, for messages
 * @param products products searches see
 * @param images image documents (vectors) searches see
 * @param metadata the model recorded in the collection
 * @param lastCommit when the last run committed, or null when none has
 * @param lastRun how that run ended ({@code running}, {@code complete}…), or {@code unknown}
 * @param shardIndexes each shard leader's index: size in bytes and segments
 */
public record SolrCollectionStats(
    String location,
    long products,
    long images,
    SolrStoreMetadata metadata,
    Instant lastCommit,
    String lastRun,
    List<SolrCloudClient.ShardIndex> shardIndexes) {

  public SolrCollectionStats {
    shardIndexes = List.copyOf(shardIndexes);
  }

  /**
   * The size of one copy of the collection (the shard leaders' index files added up), or -1 when a
   * leader did not say.
   */
  public long sizeInBytes() {
    return totalBytes(shardIndexes);
  }

  /** The sum of the shards' sizes, or -1 when one is unknown. */
  static long totalBytes(List<SolrCloudClient.ShardIndex> shards) {
    long total = 0;
    for (SolrCloudClient.ShardIndex shard : shards) {
      if (shard.sizeInBytes() < 0) {
        return -1;
      }
      total += shard.sizeInBytes();
    }
    return total;
  }

  /**
   * Reads the stats of a collection made by clipsearch.
   *
   * @throws SolrUnavailableException when no node answers
   * @throws SolrModelMismatchException when the collection was not made by clipsearch
   */
  public static SolrCollectionStats read(SolrCloudClient client, String collection)
      throws SolrException {
    SolrStoreMetadata metadata = new SolrStoreMetadata(client.recordedModel(collection));
    JsonNode docs =
        client
            .select(
                collection,
                List.of(
                    Map.entry("q", SolrQueries.term(IndexSchema.ID, SolrDocuments.RUN_DOCUMENT_ID)),
                    Map.entry("fl", SolrDocuments.RUN_STATE + "," + SolrDocuments.LAST_COMMIT),
                    Map.entry("rows", "1")))
            .path("response")
            .path("docs");
    Instant lastCommit = null;
    String lastRun = "unknown";
    if (!docs.isEmpty()) {
      lastRun = docs.get(0).path(SolrDocuments.RUN_STATE).asText(lastRun);
      try {
        lastCommit = Instant.parse(docs.get(0).path(SolrDocuments.LAST_COMMIT).asText());
      } catch (DateTimeParseException e) {
        lastCommit = null;
      }
    }
    return new SolrCollectionStats(
        SolrCatalogStore.location(client, collection),
        client.countProducts(collection),
        client.countImages(collection),
        metadata,
        lastCommit,
        lastRun,
        client.shardIndexes(collection));
  }
}
