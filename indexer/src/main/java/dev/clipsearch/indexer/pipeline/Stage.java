package dev.clipsearch.indexer.pipeline;

/** The timed stages of a bulk run. */
public enum Stage {
  /** Index lookups, stat calls, reading or downloading and hashing image bytes (fetch threads). */
  FETCH,
  /** Decoding, preprocessing and thumbnailing images (decode threads). */
  DECODE,
  /** Model calls (the encoder thread). */
  ENCODE,
  /** The encoder thread waiting for decoded images: the encoder starved. */
  ENCODER_IDLE,
  /** Building Lucene blocks and adding them, HNSW insertion included (the writer thread). */
  WRITE,
  /** Lucene commits. */
  COMMIT
}
