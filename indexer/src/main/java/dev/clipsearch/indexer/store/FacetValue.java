package dev.clipsearch.indexer.store;

/**
 * How many of the counted products carry one value of a facet.
 *
 * @param value the facet value (a brand, a category path…)
 * @param count number of products
 */
public record FacetValue(String value, int count) {}
