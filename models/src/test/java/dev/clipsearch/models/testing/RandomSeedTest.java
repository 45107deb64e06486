package dev.clipsearch.models.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RandomSeedTest {

  @Test
  void the_printed_hex_parses_back_to_the_same_seed_including_negative_ones() {
    for (long value : new long[] {0, 1, 0x5DEECE66DL, -1, Long.MIN_VALUE, Long.MAX_VALUE}) {
      RandomSeed seed = new RandomSeed(value);
      assertEquals(seed, RandomSeed.parse(seed.hex()), seed.toString());
    }
    assertEquals(new RandomSeed(0x5DEECE66DL), RandomSeed.parse("5deece66d"));
  }

  @Test
  void the_same_seed_gives_the_same_data() {
    RandomSeed seed = new RandomSeed(42);
    assertEquals(seed.random().nextLong(), seed.random().nextLong());
    assertTrue(seed.random(1).nextLong() != seed.random(2).nextLong());
  }

  @Test
  void anything_but_plain_hex_is_refused_naming_the_property_and_the_form() {
    for (String bad : new String[] {"", "0x1F", "-12", "12345678901234567", "seed"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> RandomSeed.parse(bad), bad);
      assertTrue(e.getMessage().contains("-Dtests.seed=" + bad + " is not a seed"), e.getMessage());
      assertTrue(e.getMessage().contains("without 0x"), e.getMessage());
    }
  }
}
