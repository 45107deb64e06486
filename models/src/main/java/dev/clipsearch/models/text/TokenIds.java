package dev.clipsearch.models.text;

import java.util.Arrays;

/** A growable list of a text's token ids, framed at the end by the start and end tokens. */
final class TokenIds {

  private int[] ids;
  private int size;

  TokenIds(int initialCapacity) {
    ids = new int[Math.max(8, initialCapacity)];
  }

  /** Rejects a maximum length that cannot hold the start and end tokens. */
  static void checkMaxLength(int maxLength) {
    if (maxLength < 2) {
      throw new IllegalArgumentException(
          "maxLength must be at least 2 (the start and end tokens), got " + maxLength);
    }
  }

  int size() {
    return size;
  }

  void add(int id) {
    if (size == ids.length) {
      ids = Arrays.copyOf(ids, size * 2);
    }
    ids[size++] = id;
  }

  void addAll(int[] more) {
    if (size + more.length > ids.length) {
      ids = Arrays.copyOf(ids, Math.max(size * 2, size + more.length));
    }
    System.arraycopy(more, 0, ids, size, more.length);
    size += more.length;
  }

  /**
   * {@code start}, the ids, {@code end}; when that is longer than {@code maxLength}, the first
   * {@code maxLength - 2} ids only, so that the result still ends with {@code end}.
   */
  int[] framed(int start, int end, int maxLength) {
    int kept = Math.min(size, maxLength - 2);
    int[] framed = new int[kept + 2];
    framed[0] = start;
    System.arraycopy(ids, 0, framed, 1, kept);
    framed[kept + 1] = end;
    return framed;
  }
}
