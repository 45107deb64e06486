package dev.clipsearch.models.cli;

import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.InferenceException;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.Variant;
import dev.clipsearch.models.image.ClipImagePreprocessor;
import dev.clipsearch.models.image.ImageDecodeException;
import dev.clipsearch.models.image.ImageDecoder;
import dev.clipsearch.models.image.ImageLimits;
import dev.clipsearch.models.image.ImagePipeline;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clipsearch inspect embed-batch}: encodes a file of texts (one per line) or of image paths
 * (one per line, relative to that file's folder) with a model and writes the vectors as a raw
 * matrix: rows in input order, little-endian float32, {@code rows x dimension}. The training and
 * evaluation scripts of the offline model (models/training/) read their vectors this way, so every
 * number they report went through this runtime's tokenizer, preprocessing and ONNX sessions.
 */
@Command(
    name = "embed-batch",
    mixinStandardHelpOptions = true,
    description = {
      "Encodes the texts or images listed in a file (one per line; image paths relative to the"
          + " list's folder) and writes their vectors as little-endian float32 rows.",
      "Prints the shape written; stops at the first image that cannot be decoded, naming it."
    })
public final class InspectEmbedBatchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description = "Model directory (Hugging Face, open_clip or clipsearch-model.json layout).")
  Path model;

  @Option(
      names = "--texts",
      paramLabel = "FILE",
      description = "UTF-8 file with one text per line.")
  Path texts;

  @Option(
      names = "--images",
      paramLabel = "FILE",
      description = "UTF-8 file with one image path per line, relative to the file's folder.")
  Path images;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the vectors (float32, little-endian, row-major).")
  Path out;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      paramLabel = "auto|cpu|cuda[:N]",
      converter = InspectEmbedCommand.DeviceConverter.class,
      description = "Where to run the model (default: ${DEFAULT-VALUE}).")
  Device device;

  @Option(
      names = "--threads",
      defaultValue = "0",
      paramLabel = "N",
      description = "ONNX Runtime intra-op threads; 0 = one per core (default).")
  int threads;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if ((texts == null) == (images == null)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "give exactly one of --texts and --images");
    }
    if (threads < 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--threads must be >= 0, got " + threads);
    }
    RuntimeOptions options =
        new RuntimeOptions(device, threads, RuntimeOptions.DEFAULT_BATCH_SIZE, Variant.FP32);
    long start = System.nanoTime();
    try (ClipModel clip = ClipModels.load(model, options)) {
      List<String> lines = readLines(texts != null ? texts : images);
      float[][] vectors;
      if (texts != null) {
        vectors = clip.encodeTexts(lines);
      } else {
        ImagePipeline pipeline =
            new ImagePipeline(
                new ImageDecoder(ImageLimits.DEFAULT),
                new ClipImagePreprocessor(clip.spec().preprocess()));
        Path base = images.toAbsolutePath().getParent();
        vectors = new float[lines.size()][];
        int chunk = RuntimeOptions.DEFAULT_BATCH_SIZE;
        for (int from = 0; from < lines.size(); from += chunk) {
          List<float[]> pixels = new ArrayList<>();
          for (String line : lines.subList(from, Math.min(lines.size(), from + chunk))) {
            Path file = base.resolve(line);
            pixels.add(pipeline.preprocess(Files.readAllBytes(file), file.toString()));
          }
          float[][] encoded = clip.encodeImages(pixels);
          System.arraycopy(encoded, 0, vectors, from, encoded.length);
        }
      }
      write(vectors, clip.dimension(), out);
      spec.commandLine()
          .getOut()
          .printf(
              Locale.ROOT,
              "wrote %d x %d float32 to %s (model %s, %d ms)%n",
              vectors.length,
              clip.dimension(),
              out,
              clip.id(),
              (System.nanoTime() - start) / 1_000_000);
      spec.commandLine().getOut().flush();
      return 0;
    } catch (ModelLoadException | InferenceException | ImageDecodeException e) {
      err.println(e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("embed-batch: " + e);
      return 1;
    }
  }

  private static List<String> readLines(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        lines.add(line.strip());
      }
    }
    return lines;
  }

  private static void write(float[][] vectors, int dimension, Path file) throws IOException {
    ByteBuffer row = ByteBuffer.allocate(4 * dimension).order(ByteOrder.LITTLE_ENDIAN);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      for (float[] vector : vectors) {
        row.clear();
        row.asFloatBuffer().put(vector);
        out.write(row.array());
      }
    }
  }
}
