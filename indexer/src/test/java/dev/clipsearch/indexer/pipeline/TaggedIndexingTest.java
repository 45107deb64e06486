package dev.clipsearch.indexer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clipsearch.indexer.fetch.FetchConfig;
import dev.clipsearch.indexer.fetch.ImageFetcher;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.index.IndexSnapshot;
import dev.clipsearch.indexer.tag.AttributeFile;
import dev.clipsearch.indexer.tag.AttributeTagger;
import dev.clipsearch.indexer.testing.CatalogFixture;
import dev.clipsearch.indexer.testing.SimpleImageProcessor;
import dev.clipsearch.models.testing.Colors;
import dev.clipsearch.models.testing.FakeClipModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code index --attributes}: new and changed products are tagged from the vectors of the run (the
 * colour fake makes each product's colour known), unchanged ones are not written, and a run without
 * attributes keeps a changed product's tags.
 */
class TaggedIndexingTest {

  @TempDir Path tmp;

  private final FakeClipModel model = new FakeClipModel();
  private CatalogFixture catalog;
  private Path indexDir;

  @BeforeEach
  void setUp() {
    catalog = new CatalogFixture(tmp.resolve("catalog"));
    indexDir = tmp.resolve("index");
    for (String colour : new String[] {"red", "blue", "green"}) {
      String ref = catalog.writeFile("img/" + colour + ".png", Colors.png(colour));
      catalog.addWithImages("p-" + colour, ref);
    }
    catalog.write();
  }

  private IndexingResult run(String attributes) throws Exception {
    AttributeTagger tagger =
        attributes == null
            ? null
            : new AttributeTagger(
                AttributeFile.parse("test", attributes),
                model,
                AttributeTagger.DEFAULT_MIN_CONFIDENCE,
                AttributeTagger.DEFAULT_MIN_MARGIN);
    IndexingConfig config =
        IndexingConfig.defaults(catalog.catalog())
            .withBatchSize(2)
            .withThreads(1, 1)
            .withCommits(100, Duration.ofSeconds(30));
    try (CatalogIndex index =
            CatalogIndex.openOrCreate(indexDir, model.spec(), IndexSettings.DEFAULTS);
        ImageFetcher fetcher = new ImageFetcher(FetchConfig.DEFAULTS)) {
      return new BulkIndexer(
              config,
              index,
              model,
              fetcher,
              new SimpleImageProcessor(model.spec().preprocess(), 0),
              ProgressListener.NONE,
              failure -> {},
              tagger)
          .run();
    }
  }

  private Map<String, String> attributes(String id) throws Exception {
    try (CatalogIndex index = CatalogIndex.openExisting(indexDir);
        IndexSnapshot snapshot = index.snapshot()) {
      return snapshot.find(id).facetAttributes();
    }
  }

  @Test
  void new_products_are_tagged_from_the_vectors_just_encoded() throws Exception {
    IndexingResult result = run("color: red, blue, green | {}");
    assertEquals(3, result.counts().added());
    assertEquals(3, model.imagesEncoded(), "each image encoded once, none again for tagging");
    assertEquals(Map.of("color", "red"), attributes("p-red"));
    assertEquals(Map.of("color", "blue"), attributes("p-blue"));
    assertEquals(Map.of("color", "green"), attributes("p-green"));
  }

  @Test
  void changed_products_are_retagged_and_unchanged_ones_keep_their_attributes() throws Exception {
    run("color: red, blue, green | {}");
    catalog.get("p-red").put("title", "A new title");
    catalog.write();
    // a run without attributes keeps the changed product's tags
    IndexingResult plain = run(null);
    assertEquals(1, plain.counts().updated());
    assertEquals(Map.of("color", "red"), attributes("p-red"));

    catalog.get("p-blue").put("title", "Another title");
    catalog.write();
    IndexingResult tagged = run("hue: red, blue | {}");
    assertEquals(1, tagged.counts().updated());
    assertEquals(Map.of("hue", "blue"), attributes("p-blue"), "changed: retagged, color gone");
    assertEquals(Map.of("color", "red"), attributes("p-red"), "unchanged: not rewritten");
    assertEquals(3, model.imagesEncoded(), "a title change reuses the stored vectors");
  }
}
