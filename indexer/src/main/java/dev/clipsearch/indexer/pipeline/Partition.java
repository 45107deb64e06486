package dev.clipsearch.indexer.pipeline;

import dev.clipsearch.common.io.Digests;

/**
 * One of N disjoint parts of a catalog, chosen by a stable hash of the product id, so that N
 * machines can each encode and write one part of the same catalog into one store ({@code clipsearch
 * index --partition I/N}). Every run reads the whole catalog; the run of partition {@code I} keeps
 * the products whose id falls in it and leaves the rest to the other runs. Together the N runs
 * index every product exactly once.
 *
 * <p>The hash is the first 8 bytes of the SHA-256 of the id's UTF-8 bytes, read as an unsigned
 * big-endian 64-bit number, modulo N. It depends on nothing but the id: not on the JVM, the
 * platform, the catalog order or the line the id is on, so every machine and every later run puts
 * an id in the same partition, and SHA-256 spreads any id scheme (sequential numbers, SKUs with a
 * shared prefix) evenly. A run with {@code --prune} only deletes stored ids of its own partition.
 *
 * @param index this run's part, 0-based: 0 ≤ index &lt; count
 * @param count how many parts, at least 1; 1 means the whole catalog
 */
public record Partition(int index, int count) {

  /** The whole catalog: one part. */
  public static final Partition ALL = new Partition(0, 1);

  public Partition {
    if (count < 1) {
      throw new IllegalArgumentException("partition count must be at least 1, got " + count);
    }
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "partition index must be in 0.."
              + (count - 1)
              + " (0-based) for "
              + count
              + " partitions, got "
              + index);
    }
  }

  /**
   * Parses {@code I/N}, such as {@code 0/4} (the first of four parts) or {@code 3/4} (the last).
   *
   * @throws IllegalArgumentException naming the text and what is wrong with it
   */
  public static Partition parse(String text) {
    String s = text == null ? "" : text.strip();
    int slash = s.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException(
          "expected I/N with a 0-based index I, such as 0/4, got '" + text + "'");
    }
    int index;
    int count;
    try {
      index = Integer.parseInt(s.substring(0, slash).strip());
      count = Integer.parseInt(s.substring(slash + 1).strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "expected I/N with whole numbers, such as 0/4, got '" + text + "'", e);
    }
    try {
      return new Partition(index, count);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "': " + e.getMessage(), e);
    }
  }

  /** Whether this is the whole catalog (one part). */
  public boolean isAll() {
    return count == 1;
  }

  /** Whether the product with this id belongs to this part. */
  public boolean contains(String productId) {
    return count == 1 || of(productId, count) == index;
  }

  /** The part (0-based) of {@code count} parts that {@code productId} belongs to. */
  public static int of(String productId, int count) {
    byte[] digest = Digests.sha256(productId);
    long hash = 0;
    for (int i = 0; i < 8; i++) {
      hash = (hash << 8) | (digest[i] & 0xFF);
    }
    return (int) Long.remainderUnsigned(hash, count);
  }

  /** An estimate of this part's share of {@code total} entries; -1 stays unknown. */
  public long share(long total) {
    return total < 0 || count == 1 ? total : (total + count - 1) / count;
  }

  /** {@code I/N}, as the option takes it. */
  @Override
  public String toString() {
    return index + "/" + count;
  }
}
