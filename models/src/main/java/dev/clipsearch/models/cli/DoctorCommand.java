package dev.clipsearch.models.cli;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.Variant;
import dev.clipsearch.models.doctor.GpuProbe;
import dev.clipsearch.models.gpu.CudaRedist;
import dev.clipsearch.models.hub.ModelNotFoundException;
import dev.clipsearch.models.hub.ModelRegistry;
import dev.clipsearch.models.image.ImageDecoder;
import dev.clipsearch.models.image.ImageLimits;
import dev.clipsearch.models.onnx.OnnxClipModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clipsearch doctor}: a few plain lines on what this machine offers clipsearch (NVIDIA
 * driver, GPU devices, CUDA and cuDNN libraries, whether ONNX Runtime's CUDA provider starts, the
 * JPEG decoder, the model and its precision) and why {@code --device auto} picks the device it
 * does.
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description =
        "Say what this machine offers (GPU, CUDA, JPEG decoder) and which device auto uses.")
public final class DoctorCommand implements Callable<Integer> {

  private final Map<String, String> env;
  private final Path userHome;
  private final GpuProbe probe;

  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      paramLabel = "DIR|NAME",
      description =
          "Also load this model on --device auto and say where it runs, at which precision.")
  String model;

  @Option(
      names = "--variant",
      defaultValue = "auto",
      paramLabel = "auto|fp32|quantized|fp16",
      description =
          "The model's ONNX variant to load; auto: as clipsearch index chooses, fp16 on CUDA when"
              + " the model has it, else fp32 (default: ${DEFAULT-VALUE}).")
  String variant;

  /** The command as the launcher runs it, on this machine. */
  public DoctorCommand() {
    this(System.getenv(), Path.of(System.getProperty("user.home")), null);
  }

  DoctorCommand(Map<String, String> env, Path userHome, GpuProbe probe) {
    this.env = Map.copyOf(env);
    this.userHome = userHome;
    this.probe = probe != null ? probe : new GpuProbe(env, installedLibraries(env, userHome));
  }

  /** Where clipsearch gpu install puts the CUDA libraries. */
  private static Path installedLibraries(Map<String, String> env, Path userHome) {
    try {
      return CudaRedist.libraryDir(ModelsConfig.fromEnvironment(env, userHome).home());
    } catch (IllegalArgumentException e) {
      return CudaRedist.libraryDir(userHome.resolve(".cache").resolve("clipsearch"));
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    GpuProbe.Findings found = probe.probe();
    out.println(
        "NVIDIA driver: "
            + found
                .driverVersion()
                .map(v -> "version " + v)
                .orElse("not found (no /proc/driver/nvidia/version)"));
    out.println(
        "GPU devices: "
            + (found.devices().isEmpty()
                ? "none (no /dev/nvidia0, /dev/nvidia1, ...)"
                : found.devices().stream().map(Path::toString).collect(Collectors.joining(", "))));
    out.println("CUDA 12 libraries: " + libraries(found, GpuProbe.CUDA_LIBRARIES));
    out.println("cuDNN 9 libraries: " + libraries(found, GpuProbe.CUDNN_LIBRARIES));
    String providerFailure = cudaProviderFailure();
    out.println(
        "CUDA provider: "
            + (providerFailure == null
                ? "loads (its CUDA and cuDNN libraries resolve; a session still needs a driver and"
                    + " a GPU)"
                : "does not start: " + providerFailure));
    out.println("JPEG decoder: " + new ImageDecoder(ImageLimits.DEFAULT).jpegDecoder());
    String reason = reason(found, providerFailure);
    if (model != null) {
      out.println("model: " + describeModel());
    } else {
      out.println("model: none given (--model NAME loads one and says where it runs)");
    }
    out.println("device auto: " + reason);
    out.flush();
    return 0;
  }

  private static String libraries(GpuProbe.Findings found, List<String> names) {
    return found.libraries().stream()
        .filter(l -> names.contains(l.name()))
        .map(
            l ->
                l.name()
                    + (l.path() != null
                        ? " at " + l.path()
                        : l.loads() ? " (loads through the linker cache)" : " missing"))
        .collect(Collectors.joining(", "));
  }

  /** Null when ONNX Runtime's CUDA provider library loads, otherwise its error on one line. */
  private static String cudaProviderFailure() {
    // Registers ONNX Runtime's logger before any provider call, quiet: the answer is printed here.
    OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "clipsearch-doctor");
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.addCUDA(0);
      return null;
    } catch (OrtException | RuntimeException | LinkageError e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      return message.lines().map(String::strip).collect(Collectors.joining(" "));
    }
  }

  /** Which device auto chooses, and why, from what was found. */
  static String reason(GpuProbe.Findings found, String providerFailure) {
    if (found.driverVersion().isEmpty()) {
      return "cpu, because no NVIDIA driver is installed (CUDA needs the driver and a GPU)";
    }
    if (found.devices().isEmpty()) {
      return "cpu, because the NVIDIA driver shows no GPU device";
    }
    if (!found.missingLibraries().isEmpty()) {
      return "cpu, because these CUDA 12 / cuDNN 9 libraries are missing: "
          + String.join(", ", found.missingLibraries())
          + " (clipsearch gpu install fetches them)";
    }
    if (providerFailure != null) {
      return "cpu, because ONNX Runtime's CUDA provider does not start";
    }
    return "cuda:0, because the driver, a GPU and the CUDA 12 and cuDNN 9 libraries are there";
  }

  private String describeModel() {
    Path dir;
    try {
      dir =
          ModelsConfig.fromEnvironment(env, userHome).cache(ModelRegistry.builtIn()).resolve(model);
    } catch (ModelNotFoundException | IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--model: " + e.getMessage());
    }
    RuntimeOptions options;
    try {
      options =
          RuntimeOptions.byDevice()
              .withVariant(
                  variant.strip().equalsIgnoreCase("auto") ? null : Variant.parse(variant));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--variant: " + e.getMessage());
    }
    try (ClipModel clip = ClipModels.load(dir, options)) {
      String runsWith =
          clip instanceof OnnxClipModel onnx
              ? onnx.device() + ", " + onnx.runtime().describe()
              : String.valueOf(options.variant());
      return clip.id() + " (" + runsWith + ", from " + dir + ")";
    } catch (ModelLoadException e) {
      return "cannot load " + dir + ": " + e.getMessage();
    }
  }
}
