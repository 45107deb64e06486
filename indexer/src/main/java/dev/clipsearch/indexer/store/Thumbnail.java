package dev.clipsearch.indexer.store;

/**
 * A stored thumbnail of a product image.
 *
 * @param bytes the encoded image
 * @param mediaType its media type, e.g. {@code image/jpeg}
 */
public record Thumbnail(byte[] bytes, String mediaType) {}
