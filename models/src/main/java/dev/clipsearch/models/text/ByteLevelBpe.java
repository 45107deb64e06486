package dev.clipsearch.models.text;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Byte-level BPE with end-of-word suffix, as CLIP uses it: a word's UTF-8 bytes start as one symbol
 * each (the last one in its {@code </w>} form), then the adjacent pair with the lowest merge rank
 * is merged until no adjacent pair has a rank.
 *
 * <p>Merges are applied from a priority queue ordered by (rank, position), so a word of n bytes
 * costs O(n log n) rather than the reference's O(n²): a hostile 100 kB "word" is no threat. The
 * result is the reference's, since a merge can only create pairs of a higher rank than its own.
 * Symbols are vocabulary ids throughout; strings appear only when the tables are built. Immutable
 * and thread-safe.
 */
final class ByteLevelBpe {

  private final int[] byteIds;
  private final int[] byteEndIds;
  private final PairRanks ranks;
  private final int[] mergedIds;

  /**
   * @param byteIds the id of each byte's symbol, indexed by the unsigned byte value
   * @param byteEndIds the id of each byte's {@code </w>} symbol
   * @param ranks the rank of each mergeable pair of ids
   * @param mergedIds the id of the symbol each rank's merge produces
   */
  ByteLevelBpe(int[] byteIds, int[] byteEndIds, PairRanks ranks, int[] mergedIds) {
    this.byteIds = byteIds.clone();
    this.byteEndIds = byteEndIds.clone();
    this.ranks = ranks;
    this.mergedIds = mergedIds.clone();
  }

  /** The token ids of one word (a piece of the split pattern other than a special token). */
  int[] encodeWord(String word) {
    byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
    int n = bytes.length;
    int[] symbols = new int[n];
    for (int i = 0; i < n - 1; i++) {
      symbols[i] = byteIds[bytes[i] & 0xFF];
    }
    if (n == 0) {
      return symbols;
    }
    symbols[n - 1] = byteEndIds[bytes[n - 1] & 0xFF];
    if (n == 1) {
      return symbols;
    }
    int[] next = new int[n];
    int[] prev = new int[n];
    LongMinHeap queue = new LongMinHeap(n);
    for (int i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
      if (i + 1 < n) {
        offer(queue, symbols[i], symbols[i + 1], i);
      }
    }
    int alive = n;
    while (!queue.isEmpty()) {
      long entry = queue.poll();
      int rank = (int) (entry >>> 32);
      int left = (int) entry;
      int right = next[left];
      // Entries go stale when a neighbour was merged first; a pair's rank identifies it.
      if (symbols[left] < 0 || right < 0 || ranks.rank(symbols[left], symbols[right]) != rank) {
        continue;
      }
      symbols[left] = mergedIds[rank];
      symbols[right] = -1;
      alive--;
      next[left] = next[right];
      if (next[left] >= 0) {
        prev[next[left]] = left;
      }
      if (prev[left] >= 0) {
        offer(queue, symbols[prev[left]], symbols[left], prev[left]);
      }
      if (next[left] >= 0) {
        offer(queue, symbols[left], symbols[next[left]], left);
      }
    }
    int[] ids = new int[alive];
    int k = 0;
    for (int i = 0; i >= 0; i = next[i]) {
      ids[k++] = symbols[i];
    }
    return ids;
  }

  private void offer(LongMinHeap queue, int left, int right, int position) {
    int rank = ranks.rank(left, right);
    if (rank >= 0) {
      queue.add(((long) rank << 32) | position);
    }
  }

  /** An open-addressing map from a pair of ids to its merge rank; built once, then read-only. */
  static final class PairRanks {
    private static final long EMPTY = -1L;
    private final long[] keys;
    private final int[] values;
    private final int mask;
    private final int shift;

    /**
     * Rank i merges {@code lefts[i]} with {@code rights[i]}; a repeated pair keeps its last rank.
     */
    PairRanks(int[] lefts, int[] rights) {
      int capacity = Integer.highestOneBit(Math.max(4, lefts.length * 2) - 1) << 1;
      keys = new long[capacity];
      values = new int[capacity];
      mask = capacity - 1;
      shift = Long.numberOfLeadingZeros(capacity) + 1;
      Arrays.fill(keys, EMPTY);
      for (int rank = 0; rank < lefts.length; rank++) {
        long key = key(lefts[rank], rights[rank]);
        int slot = slot(key);
        while (keys[slot] != EMPTY && keys[slot] != key) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        values[slot] = rank;
      }
    }

    /** The rank of the pair, or -1 when the pair never merges. */
    int rank(int left, int right) {
      long key = key(left, right);
      for (int slot = slot(key); keys[slot] != EMPTY; slot = (slot + 1) & mask) {
        if (keys[slot] == key) {
          return values[slot];
        }
      }
      return -1;
    }

    private static long key(int left, int right) {
      return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** Fibonacci hashing: the top log2(capacity) bits of the key times the golden ratio. */
    private int slot(long key) {
      return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }
  }

  /** A binary min-heap of longs, enough for one word's merge queue. */
  private static final class LongMinHeap {
    private long[] heap;
    private int size;

    LongMinHeap(int capacity) {
      heap = new long[Math.max(4, capacity)];
    }

    boolean isEmpty() {
      return size == 0;
    }

    void add(long value) {
      if (size == heap.length) {
        heap = Arrays.copyOf(heap, size * 2);
      }
      int i = size++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (heap[parent] <= value) {
          break;
        }
        heap[i] = heap[parent];
        i = parent;
      }
      heap[i] = value;
    }

    long poll() {
      long top = heap[0];
      long last = heap[--size];
      int i = 0;
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) {
          break;
        }
        if (child + 1 < size && heap[child + 1] < heap[child]) {
          child++;
        }
        if (heap[child] >= last) {
          break;
        }
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
      return top;
    }
  }
}
