package dev.clipsearch.models;

import java.util.List;

/**
 * A dual encoder that maps texts and images into one vector space.
 *
 * <p>Every vector it returns is L2-normalized, so the dot product of two vectors is their cosine
 * similarity. Implementations are thread-safe: one instance serves every thread of a process, and
 * its inference sessions are created once, when it is loaded.
 */
public interface ClipModel extends AutoCloseable {

  /** The facts about this model: id, dimension, context length, image preprocessing. */
  ModelSpec spec();

  /** Encodes a batch of texts; one normalized vector per text, in order. */
  float[][] encodeTexts(List<String> texts);

  /**
   * Encodes a batch of preprocessed images; each element is a CHW float tensor as produced by
   * {@link dev.clipsearch.models.image.ClipImagePreprocessor} configured with {@link
   * ModelSpec#preprocess()}. Returns one normalized vector per image, in order.
   */
  float[][] encodeImages(List<float[]> pixelTensors);

  /**
   * Whether the text tower sees all of {@code text}: false when its tokens, start and end tokens
   * included, are more than {@link ModelSpec#contextLength()}, so that {@link #encodeTexts} cuts
   * them. Models without a tokenizer of their own (test doubles) see everything.
   */
  default boolean fitsContext(String text) {
    return true;
  }

  /**
   * How many {@link #encodeImages} calls this model runs at once, each on its own inference
   * session: a bulk indexer keeps that many batches in flight. One unless the model was loaded with
   * more ({@link RuntimeOptions#encoderSessions()}).
   */
  default int imageEncoderSessions() {
    return 1;
  }

  /** The model's id, for the index and the logs. */
  default String id() {
    return spec().id();
  }

  /** The length of every vector this model returns. */
  default int dimension() {
    return spec().dimension();
  }

  @Override
  void close();
}
