package dev.clipsearch.searcher.service;

/**
 * What {@code /ready} and {@code /metrics} report about the service.
 *
 * @param ready whether the model and the index are loaded and queries can be answered
 * @param modelId the model that encodes queries (and built the index)
 * @param dimension the vectors' dimension
 * @param products number of products in the current reader
 * @param images number of product images (vectors) in the current reader
 * @param indexBytes size of the index on disk, in bytes
 */
public record ServiceStatus(
    boolean ready, String modelId, int dimension, long products, long images, long indexBytes) {}
