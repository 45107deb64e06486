package dev.clipsearch.models.onnx;

import dev.clipsearch.models.ModelLoadException;
import java.util.List;

/**
 * Chooses the graph output that holds the embeddings. A name given by the model's configuration
 * wins; otherwise a 2-D float output named {@code *_embeds}, {@code embedding} or {@code
 * embeddings}; otherwise the only 2-D float output (whose width must be the dimension when the
 * configuration declares one).
 */
final class Outputs {

  private Outputs() {}

  /**
   * @param rank 2 for outputs that are already one vector per input, 3 for token features that get
   *     pooled
   * @param width the expected last axis, 0 when unknown
   */
  static TensorSpec choose(
      List<TensorSpec> outputs, String configured, int rank, int width, String file) {
    if (configured != null) {
      TensorSpec named = TensorSpec.named(outputs, configured, file, "output");
      if (!named.isFloat() || named.rank() != rank) {
        throw new ModelLoadException(
            file + ": output " + named.describe() + " must be a " + rank + "-D float tensor here");
      }
      return named;
    }
    List<TensorSpec> usable =
        outputs.stream().filter(o -> o.isFloat() && o.rank() == rank).toList();
    List<TensorSpec> preferred =
        usable.stream()
            .filter(
                o ->
                    o.name().endsWith("_embeds")
                        || o.name().equals("embedding")
                        || o.name().equals("embeddings"))
            .toList();
    if (preferred.size() == 1) {
      return preferred.get(0);
    }
    List<TensorSpec> fitting =
        usable.stream().filter(o -> width == 0 || o.fixed(rank - 1) == width).toList();
    if (preferred.isEmpty() && fitting.size() == 1) {
      return fitting.get(0);
    }
    throw new ModelLoadException(
        file
            + ": no usable embedding output; expected one "
            + rank
            + "-D float output named *_embeds, embedding or embeddings"
            + (rank == 2 ? ", or a single 2-D float output" : "")
            + (width > 0 ? " of width " + width : "")
            + "; outputs found: "
            + TensorSpec.describe(outputs));
  }

  /**
   * The width of the chosen output's last axis: fixed in the graph, else the declared one; checked
   * against the projection that follows, if any.
   *
   * @param declared the width the configuration declares, 0 when none
   * @param projection the projection applied to the output, or null
   */
  static int width(TensorSpec output, int declared, Projection projection, String file) {
    int fixed = output.fixed(output.rank() - 1);
    int width = fixed > 0 ? fixed : declared;
    if (width == 0) {
      throw new ModelLoadException(
          file
              + ": output "
              + output.describe()
              + " has no fixed width and no dimension is declared");
    }
    if (projection != null && projection.inputs() != width) {
      throw new ModelLoadException(
          file
              + ": output "
              + output.describe()
              + " does not fit the projection's "
              + projection.inputs()
              + " inputs");
    }
    return width;
  }
}
