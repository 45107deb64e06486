package dev.clipsearch.searcher.service;

/**
 * Image bytes ready to send: a thumbnail from the index, or an original file.
 *
 * @param bytes the encoded image
 * @param mediaType e.g. {@code image/jpeg}
 */
public record StoredImage(byte[] bytes, String mediaType) {}
