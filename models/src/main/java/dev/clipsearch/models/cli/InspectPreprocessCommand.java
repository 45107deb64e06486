package dev.clipsearch.models.cli;

import dev.clipsearch.models.image.ClipImagePreprocessor;
import dev.clipsearch.models.image.DecodedImage;
import dev.clipsearch.models.image.ImageDecodeException;
import dev.clipsearch.models.image.ImageDecoder;
import dev.clipsearch.models.image.ImageLimits;
import dev.clipsearch.models.image.PreprocessConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code clipsearch inspect preprocess IMAGE --out FILE}: writes the tensor the image tower would
 * receive for an image, 3 x size x size float32 little-endian, channel-major (CHW), RGB, so that it
 * can be compared with another implementation's.
 *
 * <p>Without {@code --model} it applies CLIP's standard preprocessing ({@link
 * PreprocessConfig#CLIP}). With {@code --model DIR} it applies the preprocessing of the model in
 * DIR, as read by the {@link ModelPreprocessing} given to the constructor.
 */
@Command(
    name = "preprocess",
    mixinStandardHelpOptions = true,
    description = {
      "Writes the model input tensor for an image: 3 x size x size float32, little-endian,"
          + " channel-major (CHW), RGB, normalized.",
      "Decoding applies the EXIF orientation and composites transparency over white; resizing is"
          + " PIL's antialiased bicubic, as in the original CLIP pipeline."
    })
public final class InspectPreprocessCommand implements Callable<Integer> {

  /** Reads the image preprocessing of the model in a directory. */
  @FunctionalInterface
  public interface ModelPreprocessing {
    /**
     * @param modelDirectory the directory given with {@code --model}
     * @return the preprocessing that model expects
     * @throws IOException when the directory cannot be read or holds no usable model
     */
    PreprocessConfig read(Path modelDirectory) throws IOException;
  }

  @Parameters(index = "0", paramLabel = "IMAGE", description = "JPEG, PNG, GIF, WebP, TIFF or BMP.")
  Path image;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the tensor (overwritten).")
  Path out;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "Use the preprocessing of the model in DIR instead of CLIP's standard one.")
  Path model;

  @Option(
      names = "--max-pixels",
      paramLabel = "N",
      defaultValue = "" + ImageLimits.DEFAULT_MAX_PIXELS,
      description = "Refuse images with more pixels than this (default: ${DEFAULT-VALUE}).")
  long maxPixels;

  @Spec CommandSpec spec;

  private final ModelPreprocessing modelPreprocessing;

  /** The command without a model loader: only CLIP's standard preprocessing is available. */
  public InspectPreprocessCommand() {
    this(null);
  }

  /**
   * @param modelPreprocessing reads a model directory's preprocessing for {@code --model}; null
   *     when this build cannot load models, in which case {@code --model} is refused
   */
  public InspectPreprocessCommand(ModelPreprocessing modelPreprocessing) {
    this.modelPreprocessing = modelPreprocessing;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (maxPixels <= 0) {
      throw new ParameterException(
          spec.commandLine(), "--max-pixels must be positive, got " + maxPixels);
    }
    PreprocessConfig config;
    try {
      config = preprocessConfig();
    } catch (IOException e) {
      err.println("cannot read the model in " + model + ": " + e.getMessage());
      return 1;
    }
    byte[] data;
    try {
      data = Files.readAllBytes(image);
    } catch (IOException e) {
      err.println("cannot read " + image + ": " + e);
      return 1;
    }
    DecodedImage decoded;
    try {
      decoded = new ImageDecoder(new ImageLimits(maxPixels)).decode(data, image.toString());
    } catch (ImageDecodeException e) {
      err.println(e.getMessage());
      return 1;
    }
    ClipImagePreprocessor preprocessor = new ClipImagePreprocessor(config);
    float[] tensor;
    try {
      tensor = preprocessor.preprocess(decoded);
    } catch (IllegalArgumentException e) { // an image too elongated to resize
      err.println(image + ": " + e.getMessage());
      return 1;
    }
    ByteBuffer bytes = ByteBuffer.allocate(4 * tensor.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(tensor);
    try {
      Files.write(out, bytes.array());
    } catch (IOException e) {
      err.println("cannot write " + out + ": " + e);
      return 1;
    }
    ClipImagePreprocessor.Geometry geometry =
        preprocessor.geometry(decoded.width(), decoded.height());
    spec.commandLine()
        .getOut()
        .printf(
            "%s: %d x %d %s, resized to %d x %d, cropped at (%d, %d); wrote 3 x %d x %d float32"
                + " little-endian CHW to %s%n",
            image,
            decoded.width(),
            decoded.height(),
            decoded.channels() == 1 ? "gray" : "RGB",
            geometry.resizedWidth(),
            geometry.resizedHeight(),
            geometry.cropLeft(),
            geometry.cropTop(),
            config.size(),
            config.size(),
            out);
    return 0;
  }

  private PreprocessConfig preprocessConfig() throws IOException {
    if (model == null) {
      return PreprocessConfig.CLIP;
    }
    if (modelPreprocessing == null) {
      throw new ParameterException(
          spec.commandLine(),
          "--model is not available in this build (no model loader); without it, CLIP's standard"
              + " preprocessing is used");
    }
    return modelPreprocessing.read(model);
  }
}
