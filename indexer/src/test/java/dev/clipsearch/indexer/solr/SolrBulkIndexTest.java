package dev.clipsearch.indexer.solr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.indexer.fetch.FetchConfig;
import dev.clipsearch.indexer.fetch.ImageFetcher;
import dev.clipsearch.indexer.pipeline.BulkIndexer;
import dev.clipsearch.indexer.pipeline.IndexingConfig;
import dev.clipsearch.indexer.pipeline.IndexingResult;
import dev.clipsearch.indexer.pipeline.ProgressListener;
import dev.clipsearch.indexer.report.ProductFailure;
import dev.clipsearch.indexer.store.StoreSnapshot;
import dev.clipsearch.indexer.testing.CatalogFixture;
import dev.clipsearch.indexer.testing.SimpleImageProcessor;
import dev.clipsearch.models.testing.FakeClipModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bulk indexing pipeline writing to SolrCloud through {@link SolrCatalogStore}, as {@code
 * clipsearch index --solr} will: a first run indexes the catalog and reports the broken product, a
 * rerun re-encodes nothing, a changed price rewrites the product reusing its stored vectors, and
 * {@code --prune} deletes a product that left the catalog.
 */
@Tag("solr")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class SolrBulkIndexTest {

  private static SolrTestCloud solr;

  @TempDir Path tmp;

  private final FakeClipModel model = FakeClipModel.projecting();
  private final List<ProductFailure> failures = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void startSolr(@TempDir Path dir) throws Exception {
    solr = SolrTestCloud.start(1, dir.resolve("solr"), "SolrBulkIndexTest");
  }

  @AfterAll
  static void stopSolr() {
    if (solr != null) {
      solr.close();
    }
  }

  private IndexingResult run(CatalogFixture catalog, String collection, boolean prune)
      throws Exception {
    failures.clear();
    IndexingConfig config =
        IndexingConfig.defaults(catalog.catalog())
            .withBatchSize(4)
            .withThreads(2, 2)
            .withCommits(7, Duration.ofSeconds(30))
            .withPrune(prune)
            .withProgressInterval(Duration.ofMillis(50));
    SolrCollectionSpec spec =
        SolrCollectionSpec.withDefaults(collection, 2, 1, SolrModelIdentity.of(model.spec()));
    try (SolrCatalogStore store = SolrCatalogStore.open(solr.client(), spec, model.spec());
        ImageFetcher fetcher = new ImageFetcher(FetchConfig.DEFAULTS)) {
      return new BulkIndexer(
              config,
              store,
              model,
              fetcher,
              new SimpleImageProcessor(model.spec().preprocess(), 32),
              ProgressListener.NONE,
              failures::add)
          .run();
    }
  }

  private float[] firstVector(String collection, String id) throws Exception {
    try (StoreSnapshot snapshot = new SolrSnapshot(solr.client(), collection)) {
      return snapshot.find(id).images().get(0).vector();
    }
  }

  @Test
  void incremental_runs_over_solr_skip_reuse_and_prune_like_the_embedded_index() throws Exception {
    String collection = solr.collection("bulk");
    CatalogFixture catalog = new CatalogFixture(tmp.resolve("catalog"));
    int images = 0;
    for (int i = 0; i < 12; i++) {
      catalog.add("p" + i, 1 + i % 3, i);
      images += 1 + i % 3;
    }
    catalog.addWithImages("broken", "img/missing.png");
    catalog.write();

    IndexingResult first = run(catalog, collection, false);
    assertEquals(IndexingResult.Outcome.COMPLETE, first.outcome());
    assertEquals(12, first.counts().added());
    assertEquals(1, first.counts().failed());
    assertEquals(List.of("broken"), failures.stream().map(ProductFailure::productId).toList());
    assertEquals(images, model.imagesEncoded());
    SolrCollectionStats stats = SolrCollectionStats.read(solr.client(), collection);
    assertEquals(12, stats.products());
    assertEquals(images, stats.images());
    assertEquals("complete", stats.lastRun());

    IndexingResult second = run(catalog, collection, false);
    assertEquals(12, second.counts().unchanged());
    assertEquals(0, second.counts().written());
    assertEquals(images, model.imagesEncoded(), "a rerun encodes nothing");

    float[] before = firstVector(collection, "p5");
    catalog.get("p5").put("price", 999);
    catalog.remove("p7");
    catalog.write();
    IndexingResult third = run(catalog, collection, true);
    assertEquals(1, third.counts().updated());
    assertEquals(10, third.counts().unchanged());
    assertEquals(1, third.counts().pruned());
    assertEquals(images, model.imagesEncoded(), "the changed product's vectors are reused");
    assertArrayEquals(before, firstVector(collection, "p5"));
    try (StoreSnapshot snapshot = new SolrSnapshot(solr.client(), collection)) {
      assertTrue(snapshot.find("p5").json().contains("\"price\":999"));
      assertEquals(null, snapshot.find("p7"));
    }
    assertEquals(11, SolrCollectionStats.read(solr.client(), collection).products());
  }
}
