package dev.clipsearch.indexer.pipeline;

import static dev.clipsearch.models.testing.TestProducts.product;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.indexer.pipeline.ProductWork.ImageWork;
import dev.clipsearch.indexer.report.FailureReason;
import dev.clipsearch.indexer.report.ProductFailure;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.models.testing.FakeClipModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The encode stage on its own, fed from a channel that is full and closed before it starts (so no
 * test depends on timing): batching, order, and what a failing model does.
 */
class EncodeStageTest {

  private final RunControl control = new RunControl();
  private final List<ProductFailure> failures = new ArrayList<>();
  private final RunCounters counters = new RunCounters(failures::add, -1, control);
  private final Random random = new Random(42);

  /** A product whose images are decoded (pixels set), ready for the encoder. */
  private ProductWork decoded(String id, int images) {
    ProductWork work = new ProductWork(1, product(id, null, null, null, List.of(), images));
    for (int i = 0; i < images; i++) {
      ImageWork image = new ImageWork(work, i, work.product.images().get(i));
      image.pixels = new float[FakeClipModel.PROJECTION_PREPROCESS.tensorLength()];
      for (int j = 0; j < image.pixels.length; j++) {
        image.pixels[j] = random.nextFloat();
      }
      work.images.add(image);
    }
    return work;
  }

  private List<ProductWork> encode(FakeClipModel model, int batchSize, List<ProductWork> products)
      throws InterruptedException {
    Channel<ProductWork> in = new Channel<>("in", products.size() + 1, 1, control);
    Channel<ProductWork> out = new Channel<>("out", products.size() + 1, 1, control);
    for (ProductWork work : products) {
      in.put(work);
    }
    in.producerDone();
    new EncodeStage(model, batchSize, Duration.ofMillis(5), new StageClock(), counters)
        .run(in, out);
    out.producerDone();
    List<ProductWork> written = new ArrayList<>();
    ProductWork work;
    while ((work = out.take()) != null) {
      written.add(work);
    }
    return written;
  }

  @Test
  void every_image_gets_the_models_vector_and_products_leave_in_arrival_order() throws Exception {
    FakeClipModel model = FakeClipModel.projecting();
    List<ProductWork> products = new ArrayList<>();
    List<float[]> pixels = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ProductWork work = decoded("p" + i, 1 + i % 3);
      work.images.forEach(image -> pixels.add(image.pixels.clone()));
      products.add(work);
    }
    List<ProductWork> written = encode(model, 4, products);
    assertEquals(products, written);
    int k = 0;
    for (ProductWork work : written) {
      for (ImageWork image : work.images) {
        assertArrayEquals(model.embed(pixels.get(k++)), image.vector, image.ref);
        assertNull(image.pixels, "the tensor is dropped once encoded");
      }
    }
    assertEquals(k, model.imagesEncoded());
    assertTrue(failures.isEmpty());
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void a_model_with_two_sessions_gets_two_batches_at_once_and_products_keep_their_order()
      throws Exception {
    // every batch waits until two are inside the model at once, so a stage that ran them one
    // after the other would fail them all
    FakeClipModel model =
        FakeClipModel.projecting().withImageEncoderSessions(2).requireConcurrentImageBatches(2);
    List<ProductWork> products = new ArrayList<>();
    List<float[]> pixels = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ProductWork work = decoded("p" + i, 1);
      work.images.forEach(image -> pixels.add(image.pixels.clone()));
      products.add(work);
    }
    List<ProductWork> written = encode(model, 2, products);
    assertEquals(products, written);
    assertEquals(List.of(), failures);
    assertEquals(4, model.imageCalls());
    int k = 0;
    for (ProductWork work : written) {
      assertArrayEquals(model.embed(pixels.get(k++)), work.images.get(0).vector);
    }
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void a_failed_batch_among_concurrent_ones_skips_only_its_products() throws Exception {
    FakeClipModel model = FakeClipModel.projecting().withImageEncoderSessions(2).failOnBatch(2);
    List<ProductWork> products = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      products.add(decoded("p" + i, 1));
    }
    List<ProductWork> written = encode(model, 2, products);
    assertEquals(4, written.size());
    assertEquals(2, failures.size());
    for (ProductFailure failure : failures) {
      assertEquals(FailureReason.ENCODE_FAILED, failure.reason());
    }
  }

  @Test
  void images_with_a_stored_vector_are_not_encoded_again() throws Exception {
    FakeClipModel model = FakeClipModel.projecting();
    ProductWork work = decoded("p", 2);
    ImageWork reused = work.images.get(0);
    reused.pixels = null;
    reused.reused = new IndexedImage(0, reused.ref, "f", "s", new float[] {1, 0}, 1, 1, null);
    assertEquals(List.of(work), encode(model, 4, List.of(work)));
    assertEquals(1, model.imagesEncoded());
    assertNull(reused.vector);
    assertNotNull(work.images.get(1).vector);
  }

  @Test
  void a_failed_batch_skips_the_products_it_held_and_the_run_goes_on() throws Exception {
    FakeClipModel model = FakeClipModel.projecting().failOnBatch(1);
    List<ProductWork> products = List.of(decoded("a", 1), decoded("b", 1), decoded("c", 2));
    List<ProductWork> written = encode(model, 2, products);
    assertEquals(List.of(products.get(2)), written);
    assertEquals(2, failures.size());
    for (ProductFailure failure : failures) {
      assertEquals(FailureReason.ENCODE_FAILED, failure.reason());
      assertTrue(failure.message().contains("injected failure"), failure.message());
    }
  }

  @Test
  void a_model_failing_batch_after_batch_aborts_the_run() {
    FakeClipModel model = FakeClipModel.projecting().failAlways();
    List<ProductWork> products = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      products.add(decoded("p" + i, 1));
    }
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> encode(model, 1, products));
    assertTrue(
        e.getMessage().contains(EncodeStage.MAX_CONSECUTIVE_ENCODE_FAILURES + " batches in a row"),
        e.getMessage());
  }
}
