package dev.clipsearch.indexer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PartitionTest {

  @Test
  void parses_a_zero_based_index_and_a_count() {
    assertEquals(new Partition(0, 4), Partition.parse("0/4"));
    assertEquals(new Partition(3, 4), Partition.parse(" 3 / 4 "));
    assertEquals("2/5", Partition.parse("2/5").toString());
    assertTrue(Partition.parse("0/1").isAll());
    assertFalse(Partition.parse("0/2").isAll());
  }

  @Test
  void rejects_bad_text_naming_what_is_wrong() {
    IllegalArgumentException oneBased =
        assertThrows(IllegalArgumentException.class, () -> Partition.parse("4/4"));
    assertTrue(oneBased.getMessage().contains("0..3 (0-based)"), oneBased.getMessage());
    assertTrue(oneBased.getMessage().contains("'4/4'"), oneBased.getMessage());
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> Partition.parse("-1/4"));
    assertTrue(negative.getMessage().contains("got -1"), negative.getMessage());
    IllegalArgumentException zero =
        assertThrows(IllegalArgumentException.class, () -> Partition.parse("0/0"));
    assertTrue(zero.getMessage().contains("at least 1"), zero.getMessage());
    for (String bad : new String[] {"", "3", "a/4", "1/b", "1/2/3"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Partition.parse(bad), bad);
      assertTrue(e.getMessage().contains("I/N"), e.getMessage());
    }
  }

  @Test
  void every_id_is_in_exactly_one_partition() {
    for (int count = 1; count <= 7; count++) {
      for (int i = 0; i < 500; i++) {
        String id = "sku-" + i;
        int in = 0;
        for (int p = 0; p < count; p++) {
          in += new Partition(p, count).contains(id) ? 1 : 0;
        }
        assertEquals(1, in, id + " in " + count + " partitions");
      }
    }
  }

  @Test
  void the_hash_is_the_first_eight_bytes_of_the_ids_sha256_modulo_the_count() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 200; i++) {
      String id = "id-" + Long.toHexString(random.nextLong()) + "-é漢";
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      BigInteger unsigned = new BigInteger(1, Arrays.copyOf(digest, 8));
      int count = 2 + random.nextInt(30);
      assertEquals(unsigned.mod(BigInteger.valueOf(count)).intValue(), Partition.of(id, count), id);
    }
  }

  /**
   * Sequential ids with a shared prefix (the worst case for a weak hash) spread evenly: each of N
   * partitions gets 1/N of 120,000 ids within 5 standard deviations of the binomial count, and the
   * chi-square statistic stays under its 99.9% quantile.
   */
  @Test
  void sequential_ids_spread_evenly_over_the_partitions() {
    int ids = 120_000;
    for (int count : new int[] {2, 3, 8, 16, 100}) {
      long[] sizes = new long[count];
      for (int i = 0; i < ids; i++) {
        sizes[Partition.of(String.format(Locale.ROOT, "SKU-%08d", i), count)]++;
      }
      double expected = ids / (double) count;
      double sd = Math.sqrt(ids * (1.0 / count) * (1 - 1.0 / count));
      double chi2 = 0;
      for (int p = 0; p < count; p++) {
        assertTrue(
            Math.abs(sizes[p] - expected) < 5 * sd,
            "partition " + p + "/" + count + " has " + sizes[p] + ", expected about " + expected);
        chi2 += (sizes[p] - expected) * (sizes[p] - expected) / expected;
      }
      // Wilson-Hilferty approximation of the chi-square 99.9% quantile with count-1 degrees.
      double k = count - 1;
      double z = 3.09;
      double q999 = k * Math.pow(1 - 2 / (9 * k) + z * Math.sqrt(2 / (9 * k)), 3);
      assertTrue(chi2 < q999, "chi-square " + chi2 + " >= " + q999 + " for " + count + " parts");
    }
  }

  @Test
  void share_estimates_a_partitions_part_of_a_total() {
    assertEquals(-1, new Partition(1, 3).share(-1));
    assertEquals(34, new Partition(1, 3).share(100));
    assertEquals(100, Partition.ALL.share(100));
  }
}
