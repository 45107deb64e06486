package dev.clipsearch.models.onnx;

import dev.clipsearch.models.ScoreFunction;
import dev.clipsearch.models.image.PreprocessConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * What a model directory says about its model, read from its configuration files before any ONNX
 * session exists. The sessions' own metadata (tensor names, types, shapes) completes it.
 *
 * @param directory the model directory
 * @param layout how the directory is organized
 * @param name readable first part of the model id
 * @param dimension the embedding length the configuration declares; 0 when it does not
 * @param logitScale CLIP's temperature for zero-shot softmax
 * @param image the image tower
 * @param text the text tower
 * @param configFiles configuration files read, part of the fingerprint
 * @param scores how zero-shot scores come from cosines
 */
record ModelDescription(
    Path directory,
    ModelLayout layout,
    String name,
    int dimension,
    float logitScale,
    ImageTower image,
    TextTower text,
    List<ModelSource> configFiles,
    ScoreFunction scores) {

  /** A CLIP-style model, scored by the softmax with {@code logitScale}. */
  ModelDescription(
      Path directory,
      ModelLayout layout,
      String name,
      int dimension,
      float logitScale,
      ImageTower image,
      TextTower text,
      List<ModelSource> configFiles) {
    this(
        directory,
        layout,
        name,
        dimension,
        logitScale,
        image,
        text,
        configFiles,
        ScoreFunction.softmax(logitScale));
  }

  /** How a tower's output becomes one vector per input. */
  enum Pooling {
    /** The output is already one vector per input ({@code [batch, dim]}). */
    NONE,
    /** Average of {@code [batch, tokens, width]} over the tokens the attention mask keeps. */
    MEAN
  }

  /**
   * A linear map applied after pooling: {@code out = in · W}, W stored row-major with {@code
   * inputs} rows and {@code outputs} columns, little-endian float32.
   */
  record ProjectionFile(ModelSource file, int inputs, int outputs) {}

  /**
   * A sentence-transformers {@code Dense} module: {@code out = activation(W · in + b)}, its weight
   * (and bias) read from a safetensors file in torch's Linear layout ({@code weight} has {@code
   * outputs} rows and {@code inputs} columns).
   *
   * @param file the safetensors file
   * @param weight the weight tensor's name ({@code linear.weight})
   * @param bias the bias tensor's name, or null when the layer has none
   * @param inputs the input width ({@code in_features})
   * @param outputs the output width ({@code out_features})
   * @param activation applied after the linear map
   */
  record DenseFile(
      ModelSource file,
      String weight,
      String bias,
      int inputs,
      int outputs,
      Projection.Activation activation) {}

  /**
   * @param onnx the ONNX file
   * @param input the pixel input's name, or null to take the graph's only input
   * @param output the output's name, or null to choose it (see {@link Outputs})
   * @param preprocess how images become the pixel input
   * @param projection optional projection after the output, or null
   */
  record ImageTower(
      ModelSource onnx,
      String input,
      String output,
      PreprocessConfig preprocess,
      ProjectionFile projection) {}

  /**
   * @param onnx the ONNX file
   * @param tokenizer the tokenizer file (CLIP BPE vocabulary, or a tokenizer.json)
   * @param contextLength the most tokens per text, start and end tokens included
   * @param input the token id input's name, or null to find it
   * @param output the output's name, or null to choose it (see {@link Outputs})
   * @param pooling how the output becomes one vector per text
   * @param normalizeBeforeProjection L2-normalize the pooled vector before the projection
   * @param projection optional projection after pooling, or null
   * @param dense optional Dense layer after pooling (instead of {@code projection}), or null
   * @param padToContext pad every text to {@code contextLength} even when the graph's token axis is
   *     dynamic (SigLIP, trained on texts padded to 64 tokens, pools the last position)
   */
  record TextTower(
      ModelSource onnx,
      ModelSource tokenizer,
      int contextLength,
      String input,
      String output,
      Pooling pooling,
      boolean normalizeBeforeProjection,
      ProjectionFile projection,
      DenseFile dense,
      boolean padToContext) {

    TextTower {
      if (projection != null && dense != null) {
        throw new IllegalArgumentException("a text tower has a projection file or a Dense layer");
      }
    }

    /**
     * A text tower without a Dense layer, padded to the longest text of a batch when its token axis
     * is dynamic.
     */
    TextTower(
        ModelSource onnx,
        ModelSource tokenizer,
        int contextLength,
        String input,
        String output,
        Pooling pooling,
        boolean normalizeBeforeProjection,
        ProjectionFile projection) {
      this(
          onnx,
          tokenizer,
          contextLength,
          input,
          output,
          pooling,
          normalizeBeforeProjection,
          projection,
          null,
          false);
    }
  }

  /** Every file whose content determines the vectors, for the fingerprint. */
  List<ModelSource> fingerprintedFiles() {
    var files = new java.util.ArrayList<ModelSource>();
    files.add(image.onnx());
    if (image.projection() != null) {
      files.add(image.projection().file());
    }
    files.add(text.onnx());
    files.add(text.tokenizer());
    if (text.projection() != null) {
      files.add(text.projection().file());
    }
    if (text.dense() != null) {
      files.add(text.dense().file());
    }
    files.addAll(configFiles);
    return files;
  }
}
