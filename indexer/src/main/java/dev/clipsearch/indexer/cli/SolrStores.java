package dev.clipsearch.indexer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.common.cli.ProgressBar;
import dev.clipsearch.indexer.index.IndexMetadata;
import dev.clipsearch.indexer.index.IndexOpenException;
import dev.clipsearch.indexer.index.ModelMismatchException;
import dev.clipsearch.indexer.solr.SolrCloudClient;
import dev.clipsearch.indexer.solr.SolrCollectionStats;
import dev.clipsearch.indexer.solr.SolrException;
import dev.clipsearch.indexer.solr.SolrModelMismatchException;
import dev.clipsearch.indexer.solr.SolrSearchStore;
import dev.clipsearch.indexer.solr.SolrUnavailableException;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.indexer.store.SearchStore;
import dev.clipsearch.indexer.store.StoreMetadata;
import dev.clipsearch.indexer.store.StoreSizes;
import dev.clipsearch.indexer.store.StoreView;
import dev.clipsearch.models.ModelSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the commands do with a {@link StoreTarget.Solr}: open its collection for searching ({@code
 * serve}), read its numbers ({@code stats}), delete from it ({@code delete}). Every failure to
 * reach or use the collection becomes an {@link IndexOpenException} (or a {@link
 * ModelMismatchException}) whose message names the collection and the node URLs, as the embedded
 * index's failures name its directory.
 */
public final class SolrStores {

  private SolrStores() {}

  /**
   * Opens the collection for searching with {@code model}; closing the store closes its client.
   *
   * @param writable whether admin writes are allowed
   * @throws ModelMismatchException when another model built the collection (naming both)
   * @throws IndexOpenException when no node answers, or the collection does not exist
   */
  public static SearchStore openSearch(StoreTarget.Solr target, ModelSpec model, boolean writable)
      throws IOException {
    SolrCloudClient client = new SolrCloudClient(target.nodes());
    try {
      SearchStore store =
          new ClientClosingStore(
              SolrSearchStore.open(client, target.collection(), writable), client);
      try {
        store.metadata().checkModel(model, store.location());
      } catch (IOException | RuntimeException e) {
        store.close();
        throw e;
      }
      return store;
    } catch (SolrModelMismatchException e) {
      client.close();
      throw new ModelMismatchException(e.getMessage());
    } catch (SolrException e) {
      client.close();
      throw new IndexOpenException(cannotOpen(target, e), e);
    } catch (IOException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /**
   * What {@code stats --solr} prints: where, products, images, model, the collection's layout over
   * the cluster (shards, replicas, live nodes) and the last run, in print order.
   *
   * @throws IOException naming the collection and the nodes when Solr cannot answer
   */
  static Map<String, Object> stats(StoreTarget.Solr target) throws IOException {
    try (SolrCloudClient client = new SolrCloudClient(target.nodes())) {
      SolrCollectionStats stats = readExisting(client, target);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("solr", target.nodes().toString());
      out.put("collection", target.collection());
      out.put("products", stats.products());
      out.put("images", stats.images());
      StoreMetadata metadata = stats.metadata();
      out.put("model", metadata.modelId() + " (dimension " + metadata.dimension() + ")");
      out.put("preprocessing", IndexMetadata.formatPreprocess(metadata.preprocess()));
      JsonNode cluster = client.clusterStatus();
      JsonNode shards = cluster.path("collections").path(target.collection()).path("shards");
      int replicas = 0;
      int active = 0;
      for (Iterator<JsonNode> it = shards.elements(); it.hasNext(); ) {
        for (Iterator<JsonNode> r = it.next().path("replicas").elements(); r.hasNext(); ) {
          replicas++;
          if ("active".equals(r.next().path("state").asText())) {
            active++;
          }
        }
      }
      out.put("shards", (long) shards.size());
      out.put("replicas", replicas + " (" + active + " active)");
      out.put("live nodes", (long) cluster.path("live_nodes").size());
      long bytes = stats.sizeInBytes();
      out.put(
          "size on disk",
          bytes < 0
              ? "unknown (a shard leader did not report its index size)"
              : ProgressBar.formatBytes(bytes)
                  + " ("
                  + bytes
                  + " bytes, one copy: the shard leaders' indexes)");
      out.put("segments", segments(stats.shardIndexes()));
      out.put(
          "last commit", stats.lastCommit() == null ? "unknown" : stats.lastCommit().toString());
      out.put("last run", stats.lastRun());
      return out;
    } catch (SolrException e) {
      throw new IndexOpenException(cannotOpen(target, e), e);
    }
  }

  /** How long {@link #merge} waits for Solr: a force-merge of a large collection takes hours. */
  static final Duration MERGE_TIMEOUT = Duration.ofHours(12);

  /**
   * {@code index --solr --merge}: merges each shard of the collection into one segment, printing
   * the segments per shard before and after and the time taken. A bulk load leaves several segments
   * per shard, each an HNSW graph that every knn query searches; one per shard answers fastest.
   *
   * @throws IOException naming the collection and the nodes when Solr fails or cannot answer
   */
  static void merge(StoreTarget.Solr target, PrintWriter out) throws IOException {
    try (SolrCloudClient client =
        new SolrCloudClient(target.nodes(), Duration.ofSeconds(5), MERGE_TIMEOUT)) {
      out.println(
          "merging Solr collection '"
              + target.collection()
              + "' to one segment per shard; segments before: "
              + segments(client.shardIndexes(target.collection())));
      out.flush();
      long start = System.nanoTime();
      client.merge(target.collection(), 1, MERGE_TIMEOUT);
      out.printf(
          Locale.ROOT,
          "merged in %.1f s; segments after: %s%n",
          (System.nanoTime() - start) / 1e9,
          segments(client.shardIndexes(target.collection())));
      out.flush();
    } catch (SolrException e) {
      throw new IndexOpenException(cannotOpen(target, e), e);
    }
  }

  /** {@code shard1 41, shard2 51}. */
  private static String segments(List<SolrCloudClient.ShardIndex> shards) {
    return String.join(
        ", ",
        shards.stream()
            .map(
                shard ->
                    shard.shard() + " " + (shard.segments() < 0 ? "unknown" : shard.segments()))
            .toList());
  }

  /**
   * The numbers of an existing collection (its model, how its last run ended…), read without a
   * model: what {@code tag} and {@code audit} look at before they load one.
   *
   * @throws IndexOpenException naming the collection and the nodes when there is no such collection
   *     or Solr cannot answer
   */
  public static SolrCollectionStats read(StoreTarget.Solr target) throws IOException {
    try (SolrCloudClient client = new SolrCloudClient(target.nodes())) {
      return readExisting(client, target);
    } catch (SolrException e) {
      throw new IndexOpenException(cannotOpen(target, e), e);
    }
  }

  private static SolrCollectionStats readExisting(SolrCloudClient client, StoreTarget.Solr target)
      throws IOException {
    if (!client.collectionExists(target.collection())) {
      throw new IndexOpenException(
          "there is no collection '"
              + target.collection()
              + "' on Solr at "
              + target.nodes()
              + ": create it with clipsearch index --solr");
    }
    return SolrCollectionStats.read(client, target.collection());
  }

  /**
   * Deletes products (each with its images) from the collection, durably.
   *
   * @return the ids that were there
   * @throws IOException naming the collection and the nodes when Solr cannot answer
   */
  static List<String> delete(StoreTarget.Solr target, Collection<String> ids) throws IOException {
    try (SolrCloudClient client = new SolrCloudClient(target.nodes());
        SolrSearchStore store = SolrSearchStore.open(client, target.collection(), true)) {
      List<String> deleted = new ArrayList<>();
      for (String id : ids) {
        if (store.delete(id)) {
          deleted.add(id);
        }
      }
      return deleted;
    } catch (SolrException e) {
      throw new IndexOpenException(cannotOpen(target, e), e);
    }
  }

  /**
   * The one-line reason a command cannot use the collection: no node reachable (naming every URL
   * tried), or Solr's own error.
   */
  static String cannotOpen(StoreTarget.Solr target, SolrException e) {
    if (e instanceof SolrUnavailableException) {
      return "cannot reach Solr at "
          + target.nodes()
          + " (collection '"
          + target.collection()
          + "'): "
          + e.getMessage();
    }
    return "Solr collection '"
        + target.collection()
        + "' at "
        + target.nodes()
        + ": "
        + e.getMessage();
  }

  /** A search store that closes its Solr client with it (the store does not own the client). */
  private record ClientClosingStore(SearchStore store, SolrCloudClient client)
      implements SearchStore {

    @Override
    public String location() {
      return store.location();
    }

    @Override
    public StoreMetadata metadata() {
      return store.metadata();
    }

    @Override
    public StoreView view() {
      return store.view();
    }

    @Override
    public StoreSizes sizes() {
      return store.sizes();
    }

    @Override
    public boolean ready() {
      return store.ready();
    }

    @Override
    public boolean writable() {
      return store.writable();
    }

    @Override
    public void upsert(IndexedProduct product) throws IOException {
      store.upsert(product);
    }

    @Override
    public boolean delete(String id) throws IOException {
      return store.delete(id);
    }

    @Override
    public void close() throws IOException {
      try {
        store.close();
      } finally {
        client.close();
      }
    }
  }
}
