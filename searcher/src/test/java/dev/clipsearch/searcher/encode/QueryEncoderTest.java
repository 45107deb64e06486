package dev.clipsearch.searcher.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.image.ImageDecodeException.Reason;
import dev.clipsearch.models.testing.Colors;
import dev.clipsearch.models.testing.FakeClipModel;
import dev.clipsearch.searcher.metrics.ServerMetrics;
import dev.clipsearch.searcher.service.InvalidImageException;
import dev.clipsearch.searcher.service.ServiceOverloadedException;
import dev.clipsearch.searcher.testing.FakeImageProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueryEncoderTest {

  final FakeClipModel model = new FakeClipModel();
  QueryEncoder encoder;

  QueryEncoder encoder(EncoderSettings settings) {
    encoder =
        new QueryEncoder(
            model,
            new FakeImageProcessor(10_000, false),
            new FakeImageProcessor(10_000, true),
            settings,
            new ServerMetrics());
    return encoder;
  }

  @AfterEach
  void close() {
    model.open();
    if (encoder != null) {
      encoder.close();
    }
  }

  @Test
  void a_repeated_text_query_is_served_from_the_cache_without_inference() {
    QueryEncoder e = encoder(EncoderSettings.defaults(1));
    TextEmbedding first = e.encodeText("red shoe");
    TextEmbedding second = e.encodeText("  red shoe ");
    assertFalse(first.cached());
    assertTrue(second.cached());
    assertEquals(1, model.textCalls());
    assertArrayEquals(first.vector(), second.vector());
  }

  @Test
  void the_cache_is_bounded_and_evicts_the_least_recently_used_text() {
    QueryEncoder e = encoder(EncoderSettings.defaults(1).withTextCacheEntries(2));
    e.encodeText("a");
    e.encodeText("b");
    e.encodeText("a"); // a is now the most recent
    e.encodeText("c"); // evicts b
    assertEquals(3, model.textCalls());
    assertTrue(e.encodeText("a").cached());
    assertFalse(e.encodeText("b").cached());
  }

  @Test
  void classification_prompts_reuse_cached_vectors_and_batch_the_rest() {
    QueryEncoder e = encoder(EncoderSettings.defaults(1));
    e.encodeText("a photo of a cat");
    List<float[]> vectors =
        e.encodeTexts(List.of("a photo of a cat", "a photo of a dog", "a truck"));
    assertEquals(3, vectors.size());
    assertEquals(2, model.textCalls(), "one call for the first text, one batch for the two misses");
    assertArrayEquals(model.textVector("a truck"), vectors.get(2));
  }

  @Test
  void a_long_query_is_cut_to_the_limit_and_reported_truncated() {
    QueryEncoder e = encoder(EncoderSettings.defaults(1));
    String longText = "word ".repeat(5_000);
    TextEmbedding embedding = e.encodeText(longText);
    assertTrue(embedding.truncated());
    assertEquals(1_000, embedding.text().length());
    assertFalse(e.encodeText("short").truncated());
  }

  @Test
  void the_cut_never_splits_a_surrogate_pair() {
    QueryEncoder e = encoder(EncoderSettings.defaults(1));
    String emoji = "\uD83D\uDC5F"; // running shoe, two chars
    String text = "a" + emoji.repeat(1_000);
    String prepared = e.prepareText(text);
    assertFalse(Character.isHighSurrogate(prepared.charAt(prepared.length() - 1)));
  }

  @Test
  void a_full_queue_refuses_at_once_with_a_retry_hint() throws Exception {
    QueryEncoder e =
        encoder(new EncoderSettings(1, 1, 0, 1000, Duration.ofSeconds(30), Duration.ofSeconds(3)));
    model.closeGate();
    ExecutorService clients = Executors.newFixedThreadPool(2);
    try {
      CompletableFuture<TextEmbedding> running =
          CompletableFuture.supplyAsync(() -> e.encodeText("one"), clients);
      assertTrue(model.awaitEntered(10), "the first encoding reached the model");
      CompletableFuture<TextEmbedding> waiting =
          CompletableFuture.supplyAsync(() -> e.encodeText("two"), clients);
      for (int i = 0; i < 1_000 && e.queued() < 1; i++) {
        Thread.sleep(10);
      }
      assertEquals(1, e.queued(), "the second encoding waits in the queue");
      ServiceOverloadedException refused =
          assertThrows(ServiceOverloadedException.class, () -> e.encodeText("three"));
      assertEquals(Duration.ofSeconds(3), refused.retryAfter());
      assertTrue(refused.getMessage().contains("busy"), refused.getMessage());
      model.open();
      assertEquals("one", running.get(10, TimeUnit.SECONDS).text());
      assertEquals("two", waiting.get(10, TimeUnit.SECONDS).text());
    } finally {
      model.open();
      clients.shutdownNow();
    }
  }

  @Test
  void an_unusable_image_fails_with_the_decoders_reason() {
    QueryEncoder e = encoder(EncoderSettings.defaults(1));
    assertEquals(
        Reason.EMPTY,
        assertThrows(InvalidImageException.class, () -> e.encodeQueryImage(new byte[0])).reason());
    assertEquals(
        Reason.UNSUPPORTED_FORMAT,
        assertThrows(
                InvalidImageException.class,
                () -> e.encodeQueryImage("hello".getBytes(StandardCharsets.UTF_8)))
            .reason());
    assertEquals(
        Reason.TOO_MANY_PIXELS,
        assertThrows(
                InvalidImageException.class,
                () -> e.encodeQueryImage(Colors.png(java.awt.Color.RED, 200, 200)))
            .reason());
    assertEquals(FakeClipModel.DIMENSION, e.encodeQueryImage(Colors.png("red")).vector().length);
  }
}
