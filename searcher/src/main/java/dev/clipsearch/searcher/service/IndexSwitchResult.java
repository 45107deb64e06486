package dev.clipsearch.searcher.service;

/**
 * A switch that took place.
 *
 * @param generation the number of the generation now serving (the first index served is 1)
 * @param index the index now served
 * @param model the model that now encodes queries (its id)
 * @param dimension the new vectors' dimension
 * @param products products in the new index
 * @param previousIndex the index served before
 * @param previousModel the model used before
 * @param warmupQueries queries run through the new model and index before it took over
 */
public record IndexSwitchResult(
    long generation,
    String index,
    String model,
    int dimension,
    long products,
    String previousIndex,
    String previousModel,
    int warmupQueries) {}
