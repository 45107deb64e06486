package dev.clipsearch.models.text;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A bounded, thread-safe map from a word to its token ids: a query server sees the same words over
 * and over, and a hit skips the merge loop.
 *
 * <p>Two generations approximate LRU without per-read bookkeeping: new words go into the current
 * generation; when it holds {@code generationSize} words it becomes the previous one and the old
 * previous generation is dropped. A word found only in the previous generation is copied forward,
 * so a word used at least once per generation stays cached. Reads take no lock; at most about
 * {@code 2 * generationSize} words are held, and words longer than {@code maxWordChars} are never
 * cached, so memory stays bounded.
 */
final class WordCache {

  private record Generations(
      ConcurrentHashMap<String, int[]> current, ConcurrentHashMap<String, int[]> previous) {}

  private final int generationSize;
  private final int maxWordChars;
  private volatile Generations generations;

  WordCache(int generationSize, int maxWordChars) {
    if (generationSize < 0 || maxWordChars < 0) {
      throw new IllegalArgumentException(
          "cache bounds must be >= 0, got "
              + generationSize
              + " words, "
              + maxWordChars
              + " chars");
    }
    this.generationSize = generationSize;
    this.maxWordChars = maxWordChars;
    this.generations = new Generations(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
  }

  /**
   * The ids of {@code word}, from the cache or computed (and then cached). The returned array is
   * shared: callers must not modify it.
   */
  int[] get(String word, Function<String, int[]> compute) {
    Generations g = generations;
    int[] ids = g.current.get(word);
    if (ids != null) {
      return ids;
    }
    ids = g.previous.get(word);
    if (ids == null) {
      ids = compute.apply(word);
    }
    if (generationSize > 0 && word.length() <= maxWordChars) {
      if (g.current.size() >= generationSize) {
        g = rotate(g);
      }
      g.current.put(word, ids);
    }
    return ids;
  }

  private synchronized Generations rotate(Generations full) {
    if (generations == full) {
      generations = new Generations(new ConcurrentHashMap<>(), full.current);
    }
    return generations;
  }

  /** The number of cached words, both generations (approximate under concurrent updates). */
  int size() {
    Generations g = generations;
    return g.current.size() + g.previous.size();
  }
}
