package dev.clipsearch.models.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WordCacheTest {

  @Test
  void hit_returns_the_cached_ids_without_computing() {
    WordCache cache = new WordCache(10, 64);
    AtomicInteger computed = new AtomicInteger();
    int[] first = cache.get("shoe", w -> new int[] {computed.incrementAndGet()});
    int[] second = cache.get("shoe", w -> new int[] {computed.incrementAndGet()});
    assertSame(first, second);
    assertEquals(1, computed.get());
  }

  @Test
  void holds_at_most_two_generations() {
    WordCache cache = new WordCache(100, 64);
    for (int i = 0; i < 10_000; i++) {
      cache.get("w" + i, w -> new int[] {1});
    }
    assertTrue(cache.size() <= 200, "size " + cache.size());
  }

  @Test
  void word_used_every_generation_stays_cached() {
    WordCache cache = new WordCache(100, 64);
    AtomicInteger computed = new AtomicInteger();
    for (int i = 0; i < 10_000; i++) {
      cache.get("w" + i, w -> new int[] {1});
      if (i % 50 == 0) {
        cache.get("hot", w -> new int[] {computed.incrementAndGet()});
      }
    }
    assertEquals(1, computed.get());
  }

  @Test
  void long_words_are_computed_but_not_cached() {
    WordCache cache = new WordCache(10, 8);
    AtomicInteger computed = new AtomicInteger();
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(
          new int[] {7},
          cache.get("longer-than-8", w -> new int[] {7 + 0 * computed.incrementAndGet()}));
    }
    assertEquals(3, computed.get());
    assertEquals(0, cache.size());
  }
}
