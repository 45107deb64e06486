package dev.clipsearch.searcher.encode;

import dev.clipsearch.models.image.ProcessedImage;

/**
 * An image's vector and what decoding it produced.
 *
 * @param vector the L2-normalized embedding
 * @param image the decoded image (size, thumbnail when the processor makes one)
 * @param millis wall time of decoding and encoding, queue wait included
 */
public record ImageEmbedding(float[] vector, ProcessedImage image, double millis) {}
