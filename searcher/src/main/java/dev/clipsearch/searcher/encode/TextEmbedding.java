package dev.clipsearch.searcher.encode;

/**
 * A text query's vector.
 *
 * @param text the text that was encoded (cut to the server's query length limit)
 * @param vector the L2-normalized embedding; do not modify (it may be shared through the cache)
 * @param truncated whether the text was cut, to the server's limit or to the model's context
 * @param cached whether the vector came from the cache
 * @param millis wall time of the encoding, queue wait included (0 for a cache hit)
 */
public record TextEmbedding(
    String text, float[] vector, boolean truncated, boolean cached, double millis) {}
