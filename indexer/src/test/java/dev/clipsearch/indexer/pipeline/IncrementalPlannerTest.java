package dev.clipsearch.indexer.pipeline;

import static dev.clipsearch.models.testing.TestProducts.product;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.common.catalog.ProductHashes;
import dev.clipsearch.indexer.fetch.FetchConfig;
import dev.clipsearch.indexer.fetch.ImageFetcher;
import dev.clipsearch.indexer.pipeline.IncrementalPlanner.Plan;
import dev.clipsearch.indexer.pipeline.ProductWork.ImageWork;
import dev.clipsearch.indexer.report.FailureReason;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.indexer.store.StoreSnapshot;
import dev.clipsearch.indexer.store.StoredProduct;
import dev.clipsearch.models.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetch stage's decisions, against an in-memory store snapshot: what is skipped, what is read,
 * which stored vectors are reused. {@code bytes == null && sha256 == null} on an image means the
 * planner never read it.
 */
class IncrementalPlannerTest {

  @TempDir Path dir;

  private final Map<String, IndexedProduct> stored = new HashMap<>();
  private final StoreSnapshot snapshot = new MemorySnapshot(stored);
  private ImageFetcher fetcher;

  @BeforeEach
  void setUp() {
    fetcher = new ImageFetcher(FetchConfig.DEFAULTS);
  }

  @AfterEach
  void tearDown() {
    fetcher.close();
  }

  private Product shoe(String price, int images) throws IOException {
    Product product = product("shoe", "Acme", "Shoes", price, List.of(), images);
    for (int i = 0; i < images; i++) {
      Path file = dir.resolve(product.images().get(i));
      if (!Files.exists(file)) {
        Files.write(file, TestImages.png(i, 20, 10));
      }
    }
    return product;
  }

  private Plan plan(Product product, boolean rehash) throws Exception {
    return plan(new ProductWork(1, product), rehash);
  }

  private Plan plan(ProductWork work, boolean rehash) throws Exception {
    return new IncrementalPlanner(snapshot, fetcher, dir, rehash).plan(work);
  }

  /** Plans {@code product} as new, gives its images vectors and stores what the writer would. */
  private ProductWork indexAndStore(Product product) throws Exception {
    ProductWork work = new ProductWork(1, product);
    assertEquals(Plan.INDEX, plan(work, false));
    float v = 1;
    for (ImageWork image : work.images) {
      if (image.failure == null) {
        image.vector = new float[] {v++, 0};
      }
    }
    stored.put(product.id(), work.toIndexed());
    return work;
  }

  private static void assertNotRead(ImageWork image) {
    assertNull(image.bytes, image.ref);
    assertNull(image.sha256, image.ref);
  }

  @Test
  void a_new_product_has_every_image_read_and_nothing_reused() throws Exception {
    ProductWork work = new ProductWork(3, shoe("10", 2));
    assertEquals(Plan.INDEX, plan(work, false));
    assertFalse(work.existed);
    assertNotNull(work.json);
    assertEquals(32, work.syncKey.length);
    assertEquals(2, work.images.size());
    for (ImageWork image : work.images) {
      assertNull(image.failure);
      assertNull(image.reused);
      assertTrue(image.fingerprint.startsWith("file:"), image.fingerprint);
      assertArrayEquals(Files.readAllBytes(dir.resolve(image.ref)), image.bytes);
      assertEquals(ProductHashes.sha256Hex(image.bytes), image.sha256);
    }
  }

  @Test
  void an_unchanged_product_is_skipped_without_reading_its_images() throws Exception {
    indexAndStore(shoe("10", 2));
    ProductWork again = new ProductWork(1, shoe("10", 2));
    assertEquals(Plan.UNCHANGED, plan(again, false));
    assertTrue(again.existed);
    again.images.forEach(IncrementalPlannerTest::assertNotRead);
  }

  @Test
  void a_changed_field_reuses_every_vector_by_fingerprint_without_reading() throws Exception {
    ProductWork first = indexAndStore(shoe("10", 2));
    ProductWork changed = new ProductWork(1, shoe("12", 2));
    assertEquals(Plan.INDEX, plan(changed, false));
    assertTrue(changed.existed);
    for (int i = 0; i < 2; i++) {
      ImageWork image = changed.images.get(i);
      assertNotRead(image);
      assertNotNull(image.reused, image.ref);
      assertArrayEquals(first.images.get(i).vector, image.reused.vector());
      assertFalse(image.needsDecode());
    }
  }

  @Test
  void a_touched_file_with_the_same_bytes_reuses_its_vector_by_sha256() throws Exception {
    Product product = shoe("10", 1);
    indexAndStore(product);
    Path file = dir.resolve(product.images().get(0));
    Files.setLastModifiedTime(
        file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 60_000));
    ProductWork touched = new ProductWork(1, product);
    assertEquals(Plan.INDEX, plan(touched, false), "the fingerprint changed: look at it");
    ImageWork image = touched.images.get(0);
    assertNotNull(image.reused, "the bytes did not: reuse the vector");
    assertNotNull(image.sha256);
    assertNull(image.bytes, "reused bytes are dropped at once");
  }

  @Test
  void new_bytes_go_to_the_decoder() throws Exception {
    Product product = shoe("10", 2);
    indexAndStore(product);
    Files.write(dir.resolve(product.images().get(1)), TestImages.png(99, 30, 10));
    ProductWork changed = new ProductWork(1, product);
    assertEquals(Plan.INDEX, plan(changed, false));
    assertNotNull(changed.images.get(0).reused);
    ImageWork fresh = changed.images.get(1);
    assertNull(fresh.reused);
    assertNotNull(fresh.bytes);
    assertTrue(fresh.needsDecode());
  }

  @Test
  void rehash_compares_bytes_even_when_fingerprints_match() throws Exception {
    Product product = shoe("10", 1);
    indexAndStore(product);
    assertEquals(Plan.UNCHANGED, plan(product, true), "same bytes");

    Path file = dir.resolve(product.images().get(0));
    FileTime mtime = Files.getLastModifiedTime(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 1; // same length, same time, other bytes
    Files.write(file, bytes);
    Files.setLastModifiedTime(file, mtime);
    assertEquals(Plan.UNCHANGED, plan(product, false), "the fingerprint cannot see it");
    ProductWork rehashed = new ProductWork(1, product);
    assertEquals(Plan.INDEX, plan(rehashed, true));
    ImageWork image = rehashed.images.get(0);
    assertNull(image.reused, "--rehash never reuses by fingerprint");
    assertArrayEquals(bytes, image.bytes);
  }

  @Test
  void a_product_stored_with_a_failed_image_is_looked_at_again() throws Exception {
    Product product = product("p", null, null, null, List.of(), 2);
    Files.write(dir.resolve(product.images().get(0)), TestImages.png(1, 20, 10));
    ProductWork first = indexAndStore(product); // p-1.jpg is missing
    assertEquals(FailureReason.FILE_NOT_FOUND, first.images.get(1).failure.reason());
    assertEquals(1, stored.get("p").imageErrors().size());

    ProductWork again = new ProductWork(1, product);
    assertEquals(Plan.INDEX, plan(again, false), "same sync key, but an image failed");
    assertSame(
        stored.get("p").images().get(0).vector(), again.images.get(0).reused.vector(), "reused");
    assertEquals(FailureReason.FILE_NOT_FOUND, again.images.get(1).failure.reason());
  }

  @Test
  void a_failed_image_changes_the_sync_key_by_its_reason() throws Exception {
    Product product = product("p", null, null, null, List.of(), 1);
    ProductWork missing = new ProductWork(1, product);
    plan(missing, false);
    Files.write(dir.resolve(product.images().get(0)), TestImages.png(1, 20, 10));
    ProductWork present = new ProductWork(1, product);
    plan(present, false);
    assertFalse(java.util.Arrays.equals(missing.syncKey, present.syncKey));
  }

  @Test
  void an_unsupported_reference_fails_that_image_only() throws Exception {
    Product base = shoe("10", 1);
    Product product =
        new Product(
            base.id(),
            base.title(),
            base.description(),
            base.brand(),
            base.category(),
            base.price(),
            base.currency(),
            base.tags(),
            base.url(),
            List.of(base.images().get(0), "ftp://example.com/a.jpg"),
            base.attributes());
    ProductWork work = new ProductWork(1, product);
    assertEquals(Plan.INDEX, plan(work, false));
    assertNull(work.images.get(0).failure);
    assertEquals(FailureReason.UNSUPPORTED_SOURCE, work.images.get(1).failure.reason());
    assertTrue(work.hasUsableImage());
  }

  /** An in-memory snapshot of what a store would hold for each product. */
  private record MemorySnapshot(Map<String, IndexedProduct> products) implements StoreSnapshot {
    @Override
    public StoredProduct find(String id) {
      IndexedProduct p = products.get(id);
      return p == null ? null : new MemoryProduct(p);
    }

    @Override
    public void forEachProductId(Predicate<String> action) {
      for (String id : products.keySet()) {
        if (!action.test(id)) {
          return;
        }
      }
    }

    @Override
    public void close() {}
  }

  private record MemoryProduct(IndexedProduct p) implements StoredProduct {
    @Override
    public String id() {
      return p.product().id();
    }

    @Override
    public byte[] syncKey() {
      return p.syncKey().clone();
    }

    @Override
    public int failedImages() {
      return p.imageErrors().size();
    }

    @Override
    public String json() {
      return p.json();
    }

    @Override
    public String contentHash() {
      return p.contentHash();
    }

    @Override
    public List<IndexedImage> images() {
      return p.images();
    }
  }
}
