package dev.clipsearch.indexer.index;

import static dev.clipsearch.indexer.testing.IndexedProducts.indexed;
import static dev.clipsearch.models.testing.TestProducts.product;
import static dev.clipsearch.models.testing.TestProducts.unitVector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.indexer.store.StoredProduct;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.testing.FakeClipModel;
import dev.clipsearch.models.testing.RandomSeed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RandomSeed.Extension.class)
class CatalogIndexTest {

  @TempDir Path dir;

  private final ModelSpec model = FakeClipModel.projecting("acme/clip-b32", 8).spec();

  @Test
  void a_new_index_records_model_and_settings_in_its_first_commit() throws IOException {
    IndexSettings settings =
        IndexSettings.DEFAULTS.withHnsw(8, 50).withQuantization(Quantization.INT8);
    try (CatalogIndex index = CatalogIndex.openOrCreate(dir, model, settings)) {
      assertTrue(index.created());
    }
    IndexMetadata metadata = CatalogIndex.readMetadata(dir);
    assertEquals("acme/clip-b32", metadata.modelId());
    assertEquals(8, metadata.dimension());
    assertEquals(model.preprocess(), metadata.preprocess());
    assertEquals("vector_acme_clip_b32", metadata.vectorField());
    assertEquals(settings, metadata.settings());
    try (FSDirectory directory = FSDirectory.open(dir)) {
      assertEquals(
          "acme/clip-b32",
          SegmentInfos.readLatestCommit(directory).getUserData().get("clipsearch.model.id"));
    }
    IndexStats stats = CatalogIndex.stats(dir);
    assertEquals(0, stats.products());
    assertEquals("created", stats.lastRun());
  }

  @Test
  void reopening_keeps_the_recorded_settings_whatever_is_passed() throws IOException {
    CatalogIndex.openOrCreate(dir, model, IndexSettings.DEFAULTS.withThumbnailSize(64)).close();
    try (CatalogIndex index = CatalogIndex.openOrCreate(dir, model, IndexSettings.DEFAULTS)) {
      assertEquals(64, index.metadata().settings().thumbnailSize());
      assertTrue(!index.created());
    }
  }

  @Test
  void another_model_is_refused_with_a_message_naming_both() throws IOException {
    CatalogIndex.openOrCreate(dir, model, IndexSettings.DEFAULTS).close();
    ModelSpec other = FakeClipModel.projecting("other/clip-l14", 12).spec();
    ModelMismatchException e =
        assertThrows(
            ModelMismatchException.class,
            () -> CatalogIndex.openOrCreate(dir, other, IndexSettings.DEFAULTS));
    assertTrue(e.getMessage().contains("'acme/clip-b32' (dimension 8"), e.getMessage());
    assertTrue(e.getMessage().contains("'other/clip-l14' (dimension 12"), e.getMessage());
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
  }

  @Test
  void the_same_model_id_with_other_preprocessing_is_refused_too() throws IOException {
    CatalogIndex.openOrCreate(dir, model, IndexSettings.DEFAULTS).close();
    ModelSpec resized =
        new ModelSpec(
            model.id(),
            model.dimension(),
            77,
            new dev.clipsearch.models.image.PreprocessConfig(
                336, model.preprocess().mean(), model.preprocess().std()),
            100f);
    assertThrows(
        ModelMismatchException.class,
        () -> CatalogIndex.openOrCreate(dir, resized, IndexSettings.DEFAULTS));
  }

  @Test
  void a_directory_with_other_files_is_not_turned_into_an_index() throws IOException {
    Files.writeString(dir.resolve("notes.txt"), "hello");
    IndexOpenException e =
        assertThrows(
            IndexOpenException.class,
            () -> CatalogIndex.openOrCreate(dir, model, IndexSettings.DEFAULTS));
    assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
  }

  @Test
  void a_second_writer_is_refused_while_the_first_is_open() throws IOException {
    try (CatalogIndex first = CatalogIndex.openOrCreate(dir, model, IndexSettings.DEFAULTS)) {
      IndexOpenException e =
          assertThrows(IndexOpenException.class, () -> CatalogIndex.openExisting(dir));
      assertTrue(e.getMessage().contains("another process"), e.getMessage());
    }
  }

  @Test
  void upsert_replaces_the_whole_block_so_no_stale_image_survives() throws IOException {
    Random random = new Random(7);
    try (CatalogIndex index = CatalogIndex.openOrCreate(dir, model, IndexSettings.DEFAULTS)) {
      var p = product("p1", "Acme", "Shoes", "10", List.of(), 3);
      index.upsert(indexed(p, unitVector(random, 8), unitVector(random, 8), unitVector(random, 8)));
      index.upsert(
          indexed(product("p2", "Acme", "Shoes", "10", List.of(), 1), unitVector(random, 8)));
      index.commit("test");
      float[] replacement = unitVector(random, 8);
      index.upsert(indexed(product("p1", "Acme", "Shoes", "12", List.of(), 1), replacement));
      index.commit("test");
      try (IndexSnapshot snapshot = index.snapshot()) {
        StoredProduct p1 = snapshot.find("p1");
        assertEquals(1, p1.images().size());
        assertArrayEquals(replacement, p1.images().get(0).vector());
        assertTrue(p1.json().contains("\"price\":12"), p1.json());
      }
    }
    IndexStats stats = CatalogIndex.stats(dir);
    assertEquals(2, stats.products());
    assertEquals(2, stats.images());
  }

  @Test
  void delete_removes_products_with_their_images_and_reports_which_existed() throws IOException {
    Random random = new Random(8);
    try (CatalogIndex index = CatalogIndex.openOrCreate(dir, model, IndexSettings.DEFAULTS)) {
      for (String id : List.of("a", "b", "c")) {
        index.upsert(
            indexed(
                product(id, "Acme", null, null, List.of(), 2),
                unitVector(random, 8),
                unitVector(random, 8)));
      }
      index.commit("test");
      assertEquals(List.of("a", "c"), index.delete(List.of("a", "zz", "c")));
      index.commit("delete");
      try (IndexSnapshot snapshot = index.snapshot()) {
        assertNull(snapshot.find("a"));
        assertNotNull(snapshot.find("b"));
      }
    }
    IndexStats stats = CatalogIndex.stats(dir);
    assertEquals(1, stats.products());
    assertEquals(2, stats.images());
    assertEquals("delete", stats.lastRun());
  }

  @Test
  void stored_vectors_are_exact_in_every_quantization(RandomSeed seed) throws IOException {
    for (Quantization q : Quantization.values()) {
      Path sub = dir.resolve(q.code());
      float[] v = unitVector(seed.random(), 8);
      try (CatalogIndex index =
          CatalogIndex.openOrCreate(sub, model, IndexSettings.DEFAULTS.withQuantization(q))) {
        index.upsert(indexed(product("p", "Acme", null, null, List.of(), 1), v));
        index.commit("test");
        try (IndexSnapshot snapshot = index.snapshot()) {
          assertArrayEquals(v, snapshot.find("p").images().get(0).vector(), q.code() + ", " + seed);
          assertEquals(
              1, IndexQueries.imageVectors(snapshot.reader(), index.metadata(), "p").size());
        }
      }
    }
  }

  @Test
  void snapshot_lists_every_live_product_id() throws IOException {
    Random random = new Random(9);
    try (CatalogIndex index = CatalogIndex.openOrCreate(dir, model, IndexSettings.DEFAULTS)) {
      for (int i = 0; i < 50; i++) {
        index.upsert(
            indexed(
                product("p" + i, null, null, null, List.of(), 1 + i % 3),
                vectors(random, 1 + i % 3)));
      }
      index.delete(List.of("p3", "p4"));
      Set<String> ids = new HashSet<>();
      try (IndexSnapshot snapshot = index.snapshot()) {
        snapshot.forEachProductId(ids::add);
      }
      assertEquals(48, ids.size());
      assertTrue(!ids.contains("p3") && ids.contains("p49"));
    }
  }

  private static float[][] vectors(Random random, int n) {
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      out[i] = unitVector(random, 8);
    }
    return out;
  }

  @Test
  void plain_lucene_reads_the_index_without_the_writer_codec() throws IOException {
    Random random = new Random(10);
    try (CatalogIndex index =
        CatalogIndex.openOrCreate(
            dir, model, IndexSettings.DEFAULTS.withQuantization(Quantization.INT4))) {
      for (int i = 0; i < 20; i++) {
        index.upsert(
            indexed(product("p" + i, null, null, null, List.of(), 1), unitVector(random, 8)));
      }
      index.commit("test");
    }
    try (FSDirectory directory = FSDirectory.open(dir);
        DirectoryReader reader = DirectoryReader.open(directory)) {
      IndexMetadata metadata = CatalogIndex.readMetadata(dir);
      TopDocs top =
          new IndexSearcher(reader)
              .search(IndexQueries.knn(metadata, unitVector(random, 8), 5, null), 5);
      assertEquals(5, top.scoreDocs.length);
      for (ScoreDoc hit : top.scoreDocs) {
        assertTrue(hit.score > 0);
      }
    }
  }
}
