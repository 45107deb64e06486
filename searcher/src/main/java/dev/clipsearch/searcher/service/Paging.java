package dev.clipsearch.searcher.service;

/**
 * Where a page of hits sits in the full ranking.
 *
 * @param k the page size asked for
 * @param offset how many hits were skipped
 * @param returned how many hits this page holds (at most {@code k})
 * @param hasMore whether a next page ({@code offset + k}) would hold at least one hit
 */
public record Paging(int k, int offset, int returned, boolean hasMore) {}
