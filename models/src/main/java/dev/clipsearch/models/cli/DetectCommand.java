package dev.clipsearch.models.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.detect.ClipRegionDetector;
import dev.clipsearch.models.detect.DetectOptions;
import dev.clipsearch.models.detect.Detection;
import dev.clipsearch.models.detect.DetectionPainter;
import dev.clipsearch.models.detect.Detector;
import dev.clipsearch.models.detect.OwlVitDetector;
import dev.clipsearch.models.hub.ModelNotFoundException;
import dev.clipsearch.models.hub.ModelRegistry;
import dev.clipsearch.models.image.DecodedImage;
import dev.clipsearch.models.image.ImageDecodeException;
import dev.clipsearch.models.image.ImageDecoder;
import dev.clipsearch.models.image.ImageLimits;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code clipsearch detect}: zero-shot object detection on one photo from the command line. Prints
 * one JSON object per detection (label, score, box in pixels of the upright photo), best first, and
 * can draw the boxes with their labels on a copy of the photo ({@code --out}). The detector is the
 * OWL-ViT model of {@code --detector}, else CLIP regions over {@code --model}, as in {@code serve}.
 */
@Command(
    name = "detect",
    mixinStandardHelpOptions = true,
    description = {
      "Find objects in a photo by free-text labels. Prints one JSON line per detection (label,"
          + " score, box [x0, y0, x1, y1] in pixels of the upright photo), best first.",
      "With --detector an OWL-ViT model answers; otherwise CLIP regions over --model (any CLIP"
          + " model, the offline one included). The detector and the time go to standard error."
    })
public final class DetectCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "The photo.")
  Path image;

  @Option(
      names = "--model",
      paramLabel = "DIR|NAME",
      description = "A CLIP model directory or a cached model's name (CLIP regions).")
  String model;

  @Option(
      names = "--detector",
      paramLabel = "DIR|NAME",
      description =
          "An OWL-ViT model directory or a cached model's name, e.g. owlvit-base-patch32 (runs"
              + " on the CPU); --model is then not needed.")
  String detector;

  @Option(
      names = "--labels",
      required = true,
      paramLabel = "TEXT",
      description = "What to look for, e.g. \"a lamp\"; repeat for each label (1 to 16).")
  List<String> labels;

  @Option(
      names = "--threshold",
      defaultValue = "" + DetectOptions.DEFAULT_THRESHOLD,
      description = "Keep detections scoring above this, in [0, 1] (default: ${DEFAULT-VALUE}).")
  float threshold;

  @Option(
      names = "--max-detections",
      defaultValue = "" + DetectOptions.DEFAULT_MAX_DETECTIONS,
      paramLabel = "N",
      description = "Print at most this many (default: ${DEFAULT-VALUE}).")
  int maxDetections;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Also write the photo with the boxes drawn on it (.png or .jpg).")
  Path out;

  @Option(
      names = "--device",
      defaultValue = "auto",
      paramLabel = "auto|cpu|cuda[:N]",
      converter = InspectEmbedCommand.DeviceConverter.class,
      description = "Where the CLIP model runs (default: ${DEFAULT-VALUE}).")
  Device device;

  private final Map<String, String> environment;
  private final Path userHome;

  /** The command as the launcher runs it ({@code CLIPSEARCH_HOME} locates cached models). */
  public DetectCommand() {
    this(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /** The command with its environment given explicitly (tests). */
  DetectCommand(Map<String, String> environment, Path userHome) {
    this.environment = Map.copyOf(environment);
    this.userHome = userHome;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DetectOptions options = options();
    try {
      Detector.checkLabels(labels);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--labels: " + e.getMessage());
    }
    String format = outFormat();
    if (model == null && detector == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "give --model (CLIP regions) or --detector (OWL-ViT)");
    }
    DecodedImage photo;
    try {
      photo =
          new ImageDecoder(ImageLimits.DEFAULT).decode(Files.readAllBytes(image), image.toString());
    } catch (ImageDecodeException | IOException e) {
      err.println("clipsearch detect: " + e.getMessage());
      return 1;
    }
    long start = System.nanoTime();
    List<Detection> detections;
    String name;
    try (ClipModel clip = detector == null ? ClipModels.load(modelDir(), runtime()) : null;
        Detector d =
            detector != null
                ? OwlVitDetector.load(
                    detectorDir(),
                    RuntimeOptions.defaults().withDevice(Device.CPU).withVariant(null))
                : new ClipRegionDetector(clip, ClipRegionDetector.Config.defaults())) {
      detections = d.detect(photo, labels, options);
      name = d.name();
    } catch (ModelLoadException e) {
      err.println("clipsearch detect: " + e.getMessage());
      return 1;
    }
    double millis = (System.nanoTime() - start) / 1e6;
    ObjectMapper json = new ObjectMapper();
    for (Detection d : detections) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("label", d.label());
      line.put("score", d.score());
      line.put("box", new double[] {d.box().x0(), d.box().y0(), d.box().x1(), d.box().y1()});
      stdout.println(json.writeValueAsString(line));
    }
    stdout.flush();
    err.printf(
        Locale.ROOT,
        "%d detections by %s on %s (%d x %d) in %.0f ms (model load included)%n",
        detections.size(),
        name,
        image,
        photo.width(),
        photo.height(),
        millis);
    if (out != null) {
      if (!ImageIO.write(DetectionPainter.paint(photo, detections), format, out.toFile())) {
        err.println("clipsearch detect: no " + format + " writer for " + out);
        return 1;
      }
      err.println("wrote " + out);
    }
    err.flush();
    return 0;
  }

  private DetectOptions options() {
    try {
      return DetectOptions.defaults().withThreshold(threshold).withMaxDetections(maxDetections);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** The image format of {@code --out}, from its extension. */
  private String outFormat() {
    if (out == null) {
      return null;
    }
    String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".png")) {
      return "png";
    }
    if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
      return "jpeg";
    }
    throw new CommandLine.ParameterException(
        spec.commandLine(), "--out: write a .png or .jpg file, not " + out.getFileName());
  }

  private Path modelDir() {
    return resolve("--model", model);
  }

  private Path detectorDir() {
    return resolve("--detector", detector);
  }

  /** A directory, or a model name looked up in the cache ({@code models fetch} installs there). */
  private Path resolve(String option, String nameOrDir) {
    try {
      return ModelsConfig.fromEnvironment(environment, userHome)
          .cache(ModelRegistry.builtIn())
          .resolve(nameOrDir);
    } catch (ModelNotFoundException | IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + e.getMessage());
    }
  }

  private RuntimeOptions runtime() {
    return RuntimeOptions.defaults().withDevice(device);
  }
}
