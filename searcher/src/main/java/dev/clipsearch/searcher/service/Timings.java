package dev.clipsearch.searcher.service;

/**
 * Where the time of one request went, in milliseconds.
 *
 * @param encodeMs turning the query into a vector (0 when cached or not needed)
 * @param searchMs searching the index, facets included
 * @param totalMs the whole service call
 */
public record Timings(double encodeMs, double searchMs, double totalMs) {}
