package dev.clipsearch.indexer.store;

/**
 * How much a store holds, for {@code /ready} and the metrics.
 *
 * @param products products searches can see now
 * @param images product images (vectors) searches can see now
 * @param bytes the store's size in bytes (on disk for the embedded index), or -1 when unknown
 */
public record StoreSizes(long products, long images, long bytes) {}
