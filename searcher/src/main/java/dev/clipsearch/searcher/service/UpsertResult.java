package dev.clipsearch.searcher.service;

/**
 * What an admin upsert did.
 *
 * @param id product id
 * @param created {@code true} if no product had this id before
 * @param images number of images indexed
 */
public record UpsertResult(String id, boolean created, int images) {}
