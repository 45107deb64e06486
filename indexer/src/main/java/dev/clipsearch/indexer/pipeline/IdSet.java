package dev.clipsearch.indexer.pipeline;

import dev.clipsearch.common.io.Digests;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A set of product ids that costs 32 bytes per id whatever the id's length: each id is kept as the
 * first 128 bits of its SHA-256 (a collision among a billion ids has a probability near 10^-21), in
 * an open-addressing table. Used to find duplicate ids in a catalog and, with {@code --prune}, the
 * products no longer in it. Not thread-safe.
 */
final class IdSet {

  private final MessageDigest sha256;
  private long[] high;
  private long[] low;
  private boolean[] used;
  private int size;
  private int mask;

  IdSet() {
    sha256 = Digests.sha256();
    allocate(1 << 10);
  }

  /** Adds an id; false when it was already there. */
  boolean add(String id) {
    if (size * 2 >= high.length) {
      grow();
    }
    byte[] digest = digest(id);
    return insert(toLong(digest, 0), toLong(digest, 8));
  }

  boolean contains(String id) {
    byte[] digest = digest(id);
    long h = toLong(digest, 0);
    long l = toLong(digest, 8);
    for (int slot = (int) h & mask; used[slot]; slot = (slot + 1) & mask) {
      if (high[slot] == h && low[slot] == l) {
        return true;
      }
    }
    return false;
  }

  int size() {
    return size;
  }

  private boolean insert(long h, long l) {
    int slot = (int) h & mask;
    while (used[slot]) {
      if (high[slot] == h && low[slot] == l) {
        return false;
      }
      slot = (slot + 1) & mask;
    }
    used[slot] = true;
    high[slot] = h;
    low[slot] = l;
    size++;
    return true;
  }

  private void grow() {
    long[] oldHigh = high;
    long[] oldLow = low;
    boolean[] oldUsed = used;
    allocate(oldHigh.length * 2);
    for (int i = 0; i < oldHigh.length; i++) {
      if (oldUsed[i]) {
        insert(oldHigh[i], oldLow[i]);
      }
    }
  }

  private void allocate(int capacity) {
    high = new long[capacity];
    low = new long[capacity];
    used = new boolean[capacity];
    mask = capacity - 1;
    size = 0;
  }

  private byte[] digest(String id) {
    return sha256.digest(id.getBytes(StandardCharsets.UTF_8));
  }

  private static long toLong(byte[] b, int offset) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[offset + i] & 0xFF);
    }
    return v;
  }
}
