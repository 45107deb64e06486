package dev.clipsearch.indexer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.testing.RandomSeed;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RandomSeed.Extension.class)
class IdSetTest {

  @Test
  void behaves_like_a_hash_set_through_many_resizes(RandomSeed seed) {
    Random random = seed.random();
    IdSet ids = new IdSet();
    Set<String> reference = new HashSet<>();
    for (int i = 0; i < 50_000; i++) {
      String id = "sku-" + random.nextInt(30_000);
      assertEquals(reference.add(id), ids.add(id), seed + ", id " + id);
    }
    assertEquals(reference.size(), ids.size());
    for (int i = 0; i < 30_000; i++) {
      assertEquals(reference.contains("sku-" + i), ids.contains("sku-" + i), seed.toString());
    }
    assertFalse(ids.contains("sku-30000"));
  }

  @Test
  void ids_differing_only_in_case_or_unicode_form_are_distinct() {
    IdSet ids = new IdSet();
    assertTrue(ids.add("ABC"));
    assertTrue(ids.add("abc"));
    assertTrue(ids.add("caf\u00e9"));
    assertTrue(ids.add("cafe\u0301"));
    assertFalse(ids.add("abc"));
  }
}
