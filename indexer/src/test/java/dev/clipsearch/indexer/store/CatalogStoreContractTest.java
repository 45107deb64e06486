package dev.clipsearch.indexer.store;

import static dev.clipsearch.models.testing.TestProducts.product;
import static dev.clipsearch.models.testing.TestProducts.unitVector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.indexer.report.FailureReason;
import dev.clipsearch.indexer.report.ImageFailure;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.testing.FakeClipModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CatalogStore} must do for the indexing pipeline, in the habit of Lucene's
 * {@code BaseDirectoryTestCase}: a store implementation gets a concrete subclass that says how to
 * open it, and runs this whole suite. Covers lookups of what was written (the incremental planner's
 * inputs), whole-product replacement, deletes, the prune walk, commit durability, rollback and the
 * recorded model identity.
 */
public abstract class CatalogStoreContractTest {

  protected static final int DIMENSION = 8;

  protected final ModelSpec model = FakeClipModel.projecting("acme/clip-b32", DIMENSION).spec();

  private final Random random = new Random(20261203);

  /**
   * Opens the store called {@code name} for {@code model}, creating it when there is none. Opening
   * the same name again must reach the same stored data; different names must not share any.
   *
   * @throws IOException when the store exists and was built with another model
   */
  protected abstract CatalogStore open(String name, ModelSpec model) throws IOException;

  /**
   * Whether writes since the last commit can still be dropped: by {@link CatalogStore#rollback}, by
   * closing without a commit, or by a crash. True for the embedded index (Lucene keeps its last
   * commit). A store whose every acknowledged write is already durable (SolrCloud: the update log
   * of each replica, and no rollback in cloud mode) returns false, and the suite then checks what
   * such a store promises instead: every acknowledged write survives a close or rollback, and
   * repeating a run's writes (what a rerun by content hash does) converges to the catalog.
   */
  protected boolean dropsUncommittedWrites() {
    return true;
  }

  // ---- helpers ----

  /** A product with {@code images} images, vectors from the seeded random source. */
  protected IndexedProduct indexed(String id, String price, int images) {
    return indexed(product(id, "Acme", "Shoes", price, List.of(), images), List.of());
  }

  private IndexedProduct indexed(Product product, List<ImageFailure> failures) {
    List<IndexedImage> images = new ArrayList<>();
    for (int i = 0; i < product.images().size(); i++) {
      images.add(
          new IndexedImage(
              i,
              product.images().get(i),
              "file:" + (100 + i) + ":" + (1000 + i),
              "sha-" + product.id() + "-" + i + "-" + product.price(),
              unitVector(random, DIMENSION),
              40 + i,
              30 + i,
              new byte[] {(byte) i, 1, 2}));
    }
    byte[] syncKey = new byte[32];
    random.nextBytes(syncKey);
    String json = ProductJson.canonical(product);
    return new IndexedProduct(
        product,
        json,
        syncKey,
        "content-" + product.id() + "-" + json.hashCode(),
        images,
        failures);
  }

  private static StoredProduct find(CatalogStore store, String id) throws IOException {
    try (StoreSnapshot snapshot = store.snapshot()) {
      StoredProduct found = snapshot.find(id);
      if (found != null) {
        // Read everything while the snapshot is open: a stored product is only valid until then.
        found.images();
        found.json();
      }
      return found;
    }
  }

  private static Set<String> ids(CatalogStore store) throws IOException {
    Set<String> ids = new HashSet<>();
    try (StoreSnapshot snapshot = store.snapshot()) {
      snapshot.forEachProductId(ids::add);
    }
    return ids;
  }

  private static void assertStored(IndexedProduct expected, CatalogStore store) throws IOException {
    try (StoreSnapshot snapshot = store.snapshot()) {
      StoredProduct stored = snapshot.find(expected.product().id());
      assertNotNull(stored, expected.product().id());
      assertEquals(expected.product().id(), stored.id());
      assertArrayEquals(expected.syncKey(), stored.syncKey());
      assertTrue(stored.hasSyncKey(expected.syncKey()));
      assertFalse(stored.hasSyncKey(new byte[32]));
      assertEquals(expected.contentHash(), stored.contentHash());
      assertEquals(expected.json(), stored.json());
      assertEquals(expected.imageErrors().size(), stored.failedImages());
      List<IndexedImage> images = stored.images();
      assertEquals(expected.images().size(), images.size());
      for (int i = 0; i < images.size(); i++) {
        IndexedImage want = expected.images().get(i);
        IndexedImage got = images.get(i);
        assertEquals(want.index(), got.index());
        assertEquals(want.source(), got.source());
        assertEquals(want.fingerprint(), got.fingerprint());
        assertEquals(want.sha256(), got.sha256());
        assertArrayEquals(want.vector(), got.vector(), "vectors come back exactly");
        assertEquals(want.width(), got.width());
        assertEquals(want.height(), got.height());
        assertArrayEquals(want.thumbnail(), got.thumbnail());
      }
    }
  }

  // ---- the contract ----

  @Test
  void a_new_store_is_created_once_and_names_its_location() throws IOException {
    try (CatalogStore store = open("s", model)) {
      assertTrue(store.created());
      assertFalse(store.location().isBlank());
      assertTrue(ids(store).isEmpty());
    }
    try (CatalogStore store = open("s", model)) {
      assertFalse(store.created());
    }
  }

  @Test
  void a_written_product_is_found_with_everything_the_planner_compares() throws IOException {
    IndexedProduct shoe = indexed("shoe", "10", 3);
    Product partial = product("partial", "Acme", null, null, List.of(), 2);
    IndexedProduct withFailure =
        indexed(
            partial,
            List.of(
                new ImageFailure(
                    2, "partial-2.jpg", FailureReason.FILE_NOT_FOUND, "partial-2.jpg: missing")));
    try (CatalogStore store = open("s", model)) {
      store.upsert(shoe);
      store.upsert(withFailure);
      store.commit("test");
      assertStored(shoe, store);
      assertStored(withFailure, store);
      assertEquals(1, find(store, "partial").failedImages());
      assertNull(find(store, "absent"));
    }
  }

  @Test
  void upsert_replaces_the_whole_product_so_no_stale_image_survives() throws IOException {
    try (CatalogStore store = open("s", model)) {
      store.upsert(indexed("p1", "10", 3));
      store.upsert(indexed("p2", "10", 1));
      store.commit("test");
      IndexedProduct replacement = indexed("p1", "12", 1);
      store.upsert(replacement);
      store.commit("test");
      assertStored(replacement, store);
      assertEquals(Set.of("p1", "p2"), ids(store));
    }
  }

  @Test
  void upsert_refuses_a_vector_of_another_dimension_naming_the_product() throws IOException {
    Product product = product("bad", "Acme", null, null, List.of(), 1);
    IndexedProduct wrong =
        new IndexedProduct(
            product,
            ProductJson.canonical(product),
            new byte[32],
            "content-bad",
            List.of(
                new IndexedImage(
                    0, "bad-0.jpg", "f", "s", unitVector(random, DIMENSION + 1), 1, 1, null)),
            List.of());
    try (CatalogStore store = open("s", model)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> store.upsert(wrong));
      assertTrue(e.getMessage().contains("bad"), e.getMessage());
    }
  }

  @Test
  void delete_removes_products_and_reports_which_were_present() throws IOException {
    try (CatalogStore store = open("s", model)) {
      for (String id : List.of("a", "b", "c")) {
        store.upsert(indexed(id, "10", 2));
      }
      store.commit("test");
      assertEquals(List.of("a", "c"), store.delete(List.of("a", "zz", "c")));
      store.commit("delete");
      assertNull(find(store, "a"));
      assertNotNull(find(store, "b"));
      assertEquals(Set.of("b"), ids(store));
      assertEquals(List.of(), store.delete(List.of("a")), "a is gone already");
    }
  }

  @Test
  void the_prune_walk_lists_every_live_id_and_prune_deletes_remove_them() throws IOException {
    Set<String> expected = new HashSet<>();
    try (CatalogStore store = open("s", model)) {
      for (int i = 0; i < 40; i++) {
        store.upsert(indexed("p" + i, "10", 1 + i % 3));
        expected.add("p" + i);
      }
      store.commit("test");
      assertEquals(expected, ids(store));
      store.deleteUnchecked("p3");
      store.deleteUnchecked("p4");
      store.deleteUnchecked("never-there");
      store.commit("prune");
      expected.remove("p3");
      expected.remove("p4");
      assertEquals(expected, ids(store));
      List<String> seen = new ArrayList<>();
      try (StoreSnapshot snapshot = store.snapshot()) {
        snapshot.forEachProductId(id -> seen.add(id) && seen.size() < 5);
      }
      assertEquals(5, seen.size(), "the walk stops when the action returns false");
    }
  }

  @Test
  void committed_writes_survive_a_reopen_and_uncommitted_ones_do_not() throws IOException {
    IndexedProduct kept = indexed("kept", "10", 2);
    try (CatalogStore store = open("s", model)) {
      store.upsert(kept);
      store.commit("running");
      store.upsert(indexed("lost", "10", 1));
      store.delete(List.of("kept"));
    }
    try (CatalogStore store = open("s", model)) {
      if (dropsUncommittedWrites()) {
        assertStored(kept, store);
        assertNull(find(store, "lost"));
        assertEquals(Set.of("kept"), ids(store));
      } else {
        // Acknowledged means durable: the upsert and the delete made after the commit both stay.
        assertNull(find(store, "kept"));
        assertNotNull(find(store, "lost"));
        assertEquals(Set.of("lost"), ids(store));
      }
    }
  }

  @Test
  void rollback_drops_every_write_since_the_last_commit() throws IOException {
    IndexedProduct kept = indexed("kept", "10", 2);
    CatalogStore store = open("s", model);
    try {
      store.upsert(kept);
      store.commit("running");
      store.upsert(indexed("kept", "99", 1));
      store.upsert(indexed("new", "10", 1));
      store.deleteUnchecked("kept");
    } finally {
      store.rollback();
    }
    try (CatalogStore reopened = open("s", model)) {
      if (dropsUncommittedWrites()) {
        assertStored(kept, reopened);
        assertEquals(Set.of("kept"), ids(reopened));
      } else {
        // Nothing was dropped: the delete and the new product stay ...
        assertNull(find(reopened, "kept"));
        assertEquals(Set.of("new"), ids(reopened));
        // ... and a rerun of the catalog (["kept"]) with --prune converges to it.
        reopened.upsert(kept);
        reopened.deleteUnchecked("new");
        reopened.commit("rerun");
        assertStored(kept, reopened);
        assertEquals(Set.of("kept"), ids(reopened));
      }
    }
  }

  @Test
  void stores_are_independent() throws IOException {
    try (CatalogStore one = open("one", model);
        CatalogStore two = open("two", model)) {
      one.upsert(indexed("only-in-one", "10", 1));
      one.commit("test");
      two.commit("test");
      assertNull(find(two, "only-in-one"));
      assertTrue(!one.location().equals(two.location()));
    }
  }

  @Test
  void the_store_records_its_model_and_refuses_another() throws IOException {
    try (CatalogStore store = open("s", model)) {
      StoreMetadata metadata = store.metadata();
      assertEquals(model.id(), metadata.modelId());
      assertEquals(model.dimension(), metadata.dimension());
      assertEquals(model.preprocess(), metadata.preprocess());
      assertTrue(metadata.isCompatibleWith(model));
      assertTrue(metadata.describeModel().contains(model.id()), metadata.describeModel());
      metadata.checkModel(model, store.location());
      store.commit("test");
    }
    ModelSpec other = FakeClipModel.projecting("other/clip-l14", 12).spec();
    IOException refused = assertThrows(IOException.class, () -> open("s", other).close());
    assertTrue(refused.getMessage().contains("acme/clip-b32"), refused.getMessage());
    assertTrue(refused.getMessage().contains("other/clip-l14"), refused.getMessage());
    try (CatalogStore store = open("s", model)) {
      assertFalse(store.metadata().isCompatibleWith(other));
      IOException e =
          assertThrows(
              IOException.class, () -> store.metadata().checkModel(other, store.location()));
      assertTrue(e.getMessage().contains(store.location()), e.getMessage());
      assertTrue(e.getMessage().contains("other/clip-l14"), e.getMessage());
    }
  }
}
