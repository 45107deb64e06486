package dev.clipsearch.indexer.cli;

import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexMetadata;
import dev.clipsearch.indexer.index.IndexOpenException;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.index.ModelMismatchException;
import dev.clipsearch.indexer.index.Quantization;
import dev.clipsearch.indexer.solr.SolrCatalogStore;
import dev.clipsearch.indexer.solr.SolrCloudClient;
import dev.clipsearch.indexer.solr.SolrCollectionSpec;
import dev.clipsearch.indexer.solr.SolrException;
import dev.clipsearch.indexer.solr.SolrModelIdentity;
import dev.clipsearch.indexer.solr.SolrModelMismatchException;
import dev.clipsearch.indexer.store.CatalogStore;
import dev.clipsearch.models.ModelSpec;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * The store an {@code index} run writes to, opened (or created) from its {@link StoreTarget}: an
 * embedded {@link CatalogIndex}, or a {@link SolrCatalogStore} over a collection that is created
 * with the job's shards, replicas and HNSW settings when it does not exist. Either refuses a model
 * other than the one that built it. Closing it closes the store (and the Solr client).
 *
 * @param store the store the pipeline writes to
 * @param description one line for the log: created or opened, where, with which settings
 * @param thumbnailSize the longer side of stored thumbnails, 0 for none
 * @param client the Solr client the store writes through (closed after it), or null
 */
record OpenedCatalogStore(
    CatalogStore store, String description, int thumbnailSize, AutoCloseable client)
    implements AutoCloseable {

  /**
   * Opens the job's store for {@code model}.
   *
   * @throws IndexOpenException when the store cannot be opened or reached (the message names it),
   *     or was built by another model
   * @throws IndexCommand.SettingsConflictException when the job asks for creation settings that the
   *     existing store has otherwise, or that the store cannot have
   */
  static OpenedCatalogStore open(IndexJob job, ModelSpec model) throws IOException {
    return switch (job.store()) {
      case StoreTarget.Embedded embedded -> openEmbedded(job, embedded, model);
      case StoreTarget.Solr solr -> openSolr(job, solr, model);
    };
  }

  private static OpenedCatalogStore openEmbedded(
      IndexJob job, StoreTarget.Embedded target, ModelSpec model) throws IOException {
    CatalogIndex index =
        CatalogIndex.openOrCreate(
            target.dir(),
            model,
            job.settings().forNewIndex(),
            job.ramBufferMb(),
            Clock.systemUTC());
    try {
      checkExplicitSettings(job, target, index);
    } catch (RuntimeException e) {
      index.close();
      throw e;
    }
    IndexMetadata metadata = index.metadata();
    String description =
        (index.created() ? "created" : "opened")
            + " index "
            + target.dir()
            + " (model "
            + metadata.describeModel()
            + ", quantization "
            + metadata.settings().quantization().code()
            + ", hnsw m="
            + metadata.settings().hnswM()
            + " beam="
            + metadata.settings().hnswBeamWidth()
            + ")";
    return new OpenedCatalogStore(index, description, metadata.settings().thumbnailSize(), null);
  }

  /** Creation-only settings asked for an existing index must match it: they cannot change. */
  private static void checkExplicitSettings(
      IndexJob job, StoreTarget.Embedded target, CatalogIndex opened) {
    if (opened.created()) {
      return;
    }
    List<String> conflicts = job.settings().conflictsWith(opened.metadata().settings());
    if (!conflicts.isEmpty()) {
      throw new IndexCommand.SettingsConflictException(
          "index "
              + target.dir()
              + " already exists with other settings, which are fixed at creation: "
              + String.join(", ", conflicts)
              + ". Drop these options, or index into a new directory.");
    }
  }

  private static OpenedCatalogStore openSolr(IndexJob job, StoreTarget.Solr target, ModelSpec model)
      throws IOException {
    IndexJob.RequestedSettings requested = job.settings();
    if (requested.quantization() != null && requested.quantization() != Quantization.NONE) {
      throw new IndexCommand.SettingsConflictException(
          "--quantization "
              + requested.quantization().code()
              + " is not available with --solr: the collection's vector field stores floats");
    }
    IndexSettings settings = requested.forNewIndex();
    SolrCollectionSpec spec =
        new SolrCollectionSpec(
            target.collection(),
            target.shards(),
            target.replicas(),
            SolrModelIdentity.of(model),
            settings.hnswM(),
            settings.hnswBeamWidth());
    return openSolr(
        target,
        client -> {
          SolrCatalogStore store = SolrCatalogStore.open(client, spec, model);
          if (!store.created() && target.layoutGiven()) {
            try {
              checkLayout(target, client.layout(target.collection()));
            } catch (IOException | RuntimeException e) {
              store.close();
              throw e;
            }
          }
          return store;
        },
        store ->
            (store.created() ? "created" : "opened")
                + " Solr collection '"
                + target.collection()
                + "' at "
                + target.nodes()
                + " (model "
                + store.metadata().describeModel()
                + (store.created()
                    ? ", "
                        + target.shards()
                        + " shard(s) x "
                        + target.replicas()
                        + " replica(s), hnsw m="
                        + settings.hnswM()
                        + " beam="
                        + settings.hnswBeamWidth()
                    : "")
                + ")",
        settings.thumbnailSize());
  }

  /**
   * {@code --shards} and {@code --replicas} lay out a collection when it is created; asked for an
   * existing collection with another layout they cannot be applied, and a run that went on would
   * leave the user believing they were. Refused like the embedded index's creation settings.
   */
  private static void checkLayout(StoreTarget.Solr target, SolrCloudClient.Layout actual) {
    if (!actual.matches(target.shards(), target.replicas())) {
      throw new IndexCommand.SettingsConflictException(
          "Solr collection '"
              + target.collection()
              + "' already exists with "
              + actual.describe()
              + "; --shards "
              + target.shards()
              + " --replicas "
              + target.replicas()
              + " apply only when index creates a collection. Drop these options to index into it"
              + " as it is, change its layout with Solr's Collections API (SPLITSHARD,"
              + " ADDREPLICA, DELETEREPLICA), or give another --collection.");
    }
  }

  /**
   * Opens the store that {@code target} already holds for writing with {@code model}'s vectors
   * ({@code tag}): never creates one.
   *
   * @throws IndexOpenException when there is no store there, it cannot be reached (the message
   *     names it), or it was built by another model
   */
  static OpenedCatalogStore openExisting(StoreTarget target, ModelSpec model) throws IOException {
    return switch (target) {
      case StoreTarget.Embedded embedded -> {
        CatalogIndex.readMetadata(embedded.dir()); // IndexOpenException when there is none
        CatalogIndex index =
            CatalogIndex.openOrCreate(
                embedded.dir(),
                model,
                IndexSettings.DEFAULTS,
                CatalogIndex.DEFAULT_RAM_BUFFER_MB,
                Clock.systemUTC());
        yield new OpenedCatalogStore(
            index,
            "opened index " + embedded.dir() + " (model " + index.metadata().describeModel() + ")",
            index.metadata().settings().thumbnailSize(),
            null);
      }
      case StoreTarget.Solr solr ->
          openSolr(
              solr,
              client -> {
                SolrCatalogStore store = SolrCatalogStore.openExisting(client, solr.collection());
                store.metadata().checkModel(model, store.location());
                return store;
              },
              store ->
                  "opened "
                      + store.location()
                      + " (model "
                      + store.metadata().describeModel()
                      + ")",
              IndexSettings.DEFAULTS.thumbnailSize());
    };
  }

  /** How a Solr catalog store is opened over a client. */
  @FunctionalInterface
  private interface SolrOpening {
    SolrCatalogStore open(SolrCloudClient client) throws IOException;
  }

  /**
   * Opens a Solr catalog store over a new client, closed with the store, or at once when opening
   * fails; Solr's failures become messages naming the collection and the nodes.
   */
  private static OpenedCatalogStore openSolr(
      StoreTarget.Solr target,
      SolrOpening opening,
      Function<SolrCatalogStore, String> description,
      int thumbnailSize)
      throws IOException {
    SolrCloudClient client = new SolrCloudClient(target.nodes());
    try {
      SolrCatalogStore store = opening.open(client);
      return new OpenedCatalogStore(store, description.apply(store), thumbnailSize, client);
    } catch (SolrModelMismatchException e) {
      client.close();
      throw new ModelMismatchException(e.getMessage());
    } catch (SolrException e) {
      client.close();
      throw new IndexOpenException(SolrStores.cannotOpen(target, e), e);
    } catch (IOException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      store.close();
    } finally {
      if (client != null) {
        try {
          client.close();
        } catch (Exception e) {
          throw new IOException("cannot close the Solr client", e);
        }
      }
    }
  }
}
