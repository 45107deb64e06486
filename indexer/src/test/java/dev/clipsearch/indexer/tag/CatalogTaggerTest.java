package dev.clipsearch.indexer.tag;

import static dev.clipsearch.indexer.tag.AttributeTaggerTest.between;
import static dev.clipsearch.indexer.tag.AttributeTaggerTest.colour;
import static dev.clipsearch.indexer.testing.IndexedProducts.indexed;
import static dev.clipsearch.models.testing.TestProducts.product;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.report.FailureReason;
import dev.clipsearch.indexer.report.ImageFailure;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.indexer.store.StoreSnapshot;
import dev.clipsearch.indexer.store.StoredProduct;
import dev.clipsearch.models.testing.FakeClipModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tagging a small catalog in the embedded index from its stored vectors. */
class CatalogTaggerTest {

  @TempDir Path dir;

  private final FakeClipModel model = new FakeClipModel();
  private CatalogIndex index;

  @BeforeEach
  void catalog() throws IOException {
    index = CatalogIndex.openOrCreate(dir, model.spec(), IndexSettings.DEFAULTS);
    index.upsert(indexed(product("p-red", "Acme", "Bags", "10", List.of(), 1), red()));
    index.upsert(
        indexed(
            product("p-blue", "Acme", "Bags", "10", List.of(), 2),
            between(model, "red", "blue"),
            colour(model, "blue")));
    index.upsert(
        indexed(
            product("p-unsure", "Acme", "Bags", "10", List.of(), 1),
            between(model, "red", "blue")));
    IndexedProduct withFailure =
        indexed(product("p-white", "Acme", "Bags", "10", List.of(), 2), colour(model, "white"));
    index.upsert(
        new IndexedProduct(
            withFailure.product(),
            withFailure.json(),
            withFailure.syncKey(),
            withFailure.contentHash(),
            withFailure.images(),
            List.of(new ImageFailure(1, "p-white-1.jpg", FailureReason.values()[0], "broken"))));
    index.commit("complete");
  }

  private float[] red() {
    return colour(model, "red");
  }

  private CatalogTagger.Result tag(String file) throws Exception {
    AttributeTagger tagger =
        new AttributeTagger(AttributeFile.parse("test", file), model, 0.5, 0.2);
    AtomicLong total = new AtomicLong();
    AtomicLong progress = new AtomicLong();
    CatalogTagger.Result result =
        CatalogTagger.run(index, tagger, "complete", total::set, progress::addAndGet);
    assertEquals(4, total.get());
    assertEquals(4, progress.get());
    return result;
  }

  private Map<String, String> stored(String id) throws IOException {
    try (StoreSnapshot snapshot = index.snapshot()) {
      return snapshot.find(id).facetAttributes();
    }
  }

  @Test
  void every_product_gets_the_values_its_vectors_show_and_no_image_is_encoded() throws Exception {
    CatalogTagger.Result result = tag("color: red, blue, white | {}\nshade: black, white | {}");
    // the colour of a red image is known; its shade (black or white) is not: the fake's
    // directions of red, black and white are unrelated
    assertEquals("red", stored("p-red").get("color"));
    assertEquals("blue", stored("p-blue").get("color"));
    assertFalse(stored("p-unsure").containsKey("color"));
    assertEquals(Map.of("color", "white", "shade", "white"), stored("p-white"));
    assertEquals(4, result.products());
    assertEquals(4, result.changed());
    assertEquals(5, result.imageVectors());
    assertEquals(Map.of("red", 1L, "blue", 1L, "white", 1L), result.values().get("color"));
    assertEquals(1L, result.leftOut().get("color"));
    assertEquals(0, model.imageCalls());
  }

  @Test
  void a_rewritten_product_keeps_its_images_hashes_and_failed_images() throws Exception {
    StoredProduct before;
    List<ImageFailure> errorsBefore;
    String jsonBefore;
    String hashBefore;
    byte[] keyBefore;
    try (StoreSnapshot snapshot = index.snapshot()) {
      before = snapshot.find("p-white");
      errorsBefore = before.imageErrors();
      jsonBefore = before.json();
      hashBefore = before.contentHash();
      keyBefore = before.syncKey();
    }
    tag("color: red, white | {}");
    try (StoreSnapshot snapshot = index.snapshot()) {
      StoredProduct after = snapshot.find("p-white");
      assertEquals(Map.of("color", "white"), after.facetAttributes());
      assertEquals(errorsBefore, after.imageErrors());
      assertEquals(1, after.failedImages());
      assertEquals(jsonBefore, after.json());
      assertEquals(hashBefore, after.contentHash());
      assertTrue(after.hasSyncKey(keyBefore));
      assertEquals(1, after.images().size());
    }
  }

  @Test
  void rerunning_with_a_changed_file_replaces_every_attribute() throws Exception {
    tag("color: red, blue, white | {}\nshade: black, white | {}");
    assertEquals("white", stored("p-white").get("shade"));
    // shade is gone from the file, white is no colour any more, yellow is new
    CatalogTagger.Result second = tag("color: red, blue, yellow | {}");
    assertEquals(Map.of("color", "red"), stored("p-red"));
    assertEquals(Map.of("color", "blue"), stored("p-blue"));
    assertFalse(stored("p-white").containsKey("shade"));
    assertNotEquals("white", stored("p-white").get("color"));
    assertFalse(stored("p-unsure").containsKey("color"));
    assertEquals(Set.of("color"), second.values().keySet());
    // an unchanged file writes nothing
    CatalogTagger.Result third = tag("color: red, blue, yellow | {}");
    assertEquals(0, third.changed());
    assertEquals(0, model.imageCalls());
  }
}
