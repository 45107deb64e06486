package dev.clipsearch.searcher.encode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded least-recently-used map. Thread-safe through one lock: lookups are a hash probe, so the
 * lock is held for well under a microsecond, far below the inference it saves.
 */
final class LruCache<K, V> {

  private final int capacity;
  private final LinkedHashMap<K, V> map;

  LruCache(int capacity) {
    this.capacity = capacity;
    this.map =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > LruCache.this.capacity;
          }
        };
  }

  /** The value, marking it most recently used; {@code null} when absent. */
  synchronized V get(K key) {
    return map.get(key);
  }

  /** Stores a value, evicting the least recently used entry when full. */
  synchronized void put(K key, V value) {
    if (capacity > 0) {
      map.put(key, value);
    }
  }

  synchronized int size() {
    return map.size();
  }
}
