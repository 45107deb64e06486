package dev.clipsearch.searcher.service;

/**
 * How many matching products carry one value of a facet.
 *
 * @param value the brand, or the category path
 * @param count number of products
 */
public record FacetCount(String value, int count) {}
