package dev.clipsearch.models;

import dev.clipsearch.models.image.PreprocessConfig;

/**
 * Everything the rest of the system needs to know about a model, read once from its directory.
 *
 * @param id a stable identifier, used to name the vector field of an index and to refuse an index
 *     built by another model
 * @param dimension length of the embedding vectors
 * @param contextLength the text tower's maximum number of tokens, start and end tokens included
 * @param preprocess how images are resized, cropped and normalized for the image tower
 * @param logitScale CLIP's learned temperature (exp of the logit scale), for zero-shot softmax
 * @param scores how zero-shot scores come from cosines (CLIP's softmax, SigLIP's sigmoid)
 */
public record ModelSpec(
    String id,
    int dimension,
    int contextLength,
    PreprocessConfig preprocess,
    float logitScale,
    ScoreFunction scores) {

  /** A CLIP-style model: zero-shot scores are the softmax with {@code logitScale}. */
  public ModelSpec(
      String id, int dimension, int contextLength, PreprocessConfig preprocess, float logitScale) {
    this(id, dimension, contextLength, preprocess, logitScale, ScoreFunction.softmax(logitScale));
  }

  public ModelSpec {
    java.util.Objects.requireNonNull(scores, "scores");
  }

  /**
   * The logit scale when a model does not state one: CLIP's learned temperature saturates at its
   * clamp, 100, in every published checkpoint.
   */
  public static final float DEFAULT_LOGIT_SCALE = 100f;

  /**
   * CLIP's text context, start and end tokens included: the length every OpenAI and OpenCLIP CLIP
   * model was trained with, used when a model's config does not state its own.
   */
  public static final int CLIP_CONTEXT_LENGTH = 77;
}
