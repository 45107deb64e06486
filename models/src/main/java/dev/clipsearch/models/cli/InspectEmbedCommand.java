package dev.clipsearch.models.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.clipsearch.models.onnx.OnnxClipModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clipsearch inspect embed}: encodes texts and images with a model and prints one JSON
 * object per input, in order, on standard output ({@code
 * {"kind":"text","input":...,"vector":[...]}}), then the model, device and time taken on standard
 * error.
 */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    description = {
      "Encodes texts and images with a model and prints their vectors as JSON, one object per"
          + " input (kind, input, vector), in the order given.",
      "The model, the device and the time taken go to standard error."
    })
public final class InspectEmbedCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description = "Model directory (Hugging Face, open_clip or clipsearch-model.json layout).")
  Path model;

  @ArgGroup(exclusive = true, multiplicity = "1..*")
  List<Input> inputs;

  /** One input: a text or an image file. */
  static final class Input {
    @Option(
        names = "--text",
        required = true,
        paramLabel = "TEXT",
        description = "A text to encode.")
    String text;

    @Option(
        names = "--image",
        required = true,
        paramLabel = "FILE",
        description = "An image file to encode (JPEG, PNG, WebP, GIF, BMP, TIFF).")
    Path image;
  }

  @Option(
      names = "--device",
      defaultValue = "auto",
      paramLabel = "auto|cpu|cuda[:N]",
      converter = DeviceConverter.class,
      description = "Where to run the model (default: ${DEFAULT-VALUE}).")
  Device device;

  @Option(
      names = "--threads",
      defaultValue = "0",
      paramLabel = "N",
      description = "ONNX Runtime intra-op threads; 0 = one per core (default).")
  int threads;

  @Option(
      names = "--max-pixels",
      paramLabel = "N",
      defaultValue = "" + ImageLimits.DEFAULT_MAX_PIXELS,
      description = "Refuse images with more pixels than this (default: ${DEFAULT-VALUE}).")
  long maxPixels;

  @Option(
      names = "--variant",
      defaultValue = "fp32",
      paramLabel = "fp32|quantized|fp16",
      converter = VariantConverter.class,
      description =
          "Which ONNX files of a Hugging Face export to load (default: ${DEFAULT-VALUE}).")
  Variant variant;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (threads < 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--threads must be >= 0, got " + threads);
    }
    if (maxPixels <= 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--max-pixels must be positive, got " + maxPixels);
    }
    RuntimeOptions options =
        new RuntimeOptions(device, threads, RuntimeOptions.DEFAULT_BATCH_SIZE, variant);
    long start = System.nanoTime();
    try (ClipModel clip = ClipModels.load(model, options)) {
      long loaded = System.nanoTime();
      ImageDecoder decoder = new ImageDecoder(new ImageLimits(maxPixels));
      ClipImagePreprocessor preprocessor = new ClipImagePreprocessor(clip.spec().preprocess());
      List<String> texts = new ArrayList<>();
      List<float[]> pixels = new ArrayList<>();
      for (Input input : inputs) {
        if (input.text != null) {
          texts.add(input.text);
        } else {
          pixels.add(preprocess(input.image, decoder, preprocessor));
        }
      }
      long prepared = System.nanoTime();
      float[][] textVectors = clip.encodeTexts(texts);
      float[][] imageVectors = clip.encodeImages(pixels);
      long encoded = System.nanoTime();

      ObjectMapper json = new ObjectMapper();
      int t = 0;
      int i = 0;
      for (Input input : inputs) {
        ObjectNode line = json.createObjectNode();
        float[] vector;
        if (input.text != null) {
          line.put("kind", "text").put("input", input.text);
          vector = textVectors[t++];
        } else {
          line.put("kind", "image").put("input", input.image.toString());
          vector = imageVectors[i++];
        }
        var array = line.putArray("vector");
        for (float x : vector) {
          array.add(x);
        }
        out.println(json.writeValueAsString(line));
      }
      out.flush();
      String on = clip instanceof OnnxClipModel onnx ? onnx.device().toString() : device.toString();
      err.printf(
          Locale.ROOT,
          "model %s (dimension %d) on %s: load %d ms, image decoding and preprocessing %d ms,"
              + " encoding %d text(s) and %d image(s) %d ms%n",
          clip.id(),
          clip.dimension(),
          on,
          (loaded - start) / 1_000_000,
          (prepared - loaded) / 1_000_000,
          texts.size(),
          pixels.size(),
          (encoded - prepared) / 1_000_000);
      err.flush();
      return 0;
    } catch (ModelLoadException | InferenceException | InputException e) {
      err.println(e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("cannot write the output: " + e.getMessage());
      return 1;
    }
  }

  private static float[] preprocess(
      Path image, ImageDecoder decoder, ClipImagePreprocessor preprocessor) {
    byte[] data;
    try {
      data = Files.readAllBytes(image);
    } catch (IOException e) {
      throw new InputException("cannot read " + image + ": " + e);
    }
    try {
      return preprocessor.preprocess(decoder.decode(data, image.toString()));
    } catch (ImageDecodeException e) {
      throw new InputException(e.getMessage());
    } catch (IllegalArgumentException e) { // an image too elongated to resize
      throw new InputException(image + ": " + e.getMessage());
    }
  }

  /** An input image that cannot be used; the message names it. */
  private static final class InputException extends RuntimeException {
    InputException(String message) {
      super(message);
    }
  }

  /** Parses {@code --device}, reporting bad values as usage errors. */
  static final class DeviceConverter implements CommandLine.ITypeConverter<Device> {
    @Override
    public Device convert(String value) {
      try {
        return Device.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** Parses {@code --variant}, reporting bad values as usage errors. */
  static final class VariantConverter implements CommandLine.ITypeConverter<Variant> {
    @Override
    public Variant convert(String value) {
      try {
        return Variant.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
