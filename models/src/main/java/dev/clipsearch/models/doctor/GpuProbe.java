package dev.clipsearch.models.doctor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What this machine offers ONNX Runtime's CUDA provider: the NVIDIA driver and its version, the GPU
 * devices, and the CUDA 12 and cuDNN 9 libraries onnxruntime_gpu needs, with where they were found.
 * Read from the files the driver creates and from the library search path, so that {@code
 * clipsearch doctor} can say why {@code --device auto} picks the device it does.
 */
public final class GpuProbe {

  /** The CUDA 12 libraries onnxruntime_gpu's CUDA provider links. */
  public static final List<String> CUDA_LIBRARIES =
      List.of(
          "libcudart.so.12",
          "libcublas.so.12",
          "libcublasLt.so.12",
          "libcufft.so.11",
          "libcurand.so.10");

  /** The cuDNN 9 library (it opens its sub-libraries itself). */
  public static final List<String> CUDNN_LIBRARIES = List.of("libcudnn.so.9");

  /** Where the driver says which version it is. */
  static final Path DRIVER_VERSION = Path.of("/proc/driver/nvidia/version");

  private static final Path DEV = Path.of("/dev");
  private static final Pattern VERSION = Pattern.compile("Kernel Module\\s+(\\S+)");
  private static final Pattern DEVICE = Pattern.compile("nvidia(\\d+)");

  /** Folders searched besides LD_LIBRARY_PATH, where CUDA packages put their libraries. */
  static final List<Path> LIBRARY_FOLDERS =
      List.of(
          Path.of("/usr/local/cuda/lib64"),
          Path.of("/usr/local/cuda/targets/x86_64-linux/lib"),
          Path.of("/usr/lib/x86_64-linux-gnu"),
          Path.of("/usr/lib64"),
          Path.of("/lib/x86_64-linux-gnu"));

  /**
   * One library: where it was found in the searched folders (null if in none) and whether the
   * dynamic linker loads it.
   */
  public record Library(String name, Path path, boolean loads) {
    /** Found on disk or loadable. */
    public boolean present() {
      return path != null || loads;
    }
  }

  /**
   * The findings.
   *
   * @param driverVersion the NVIDIA kernel module's version; empty when there is no driver
   * @param devices the GPU device files (/dev/nvidia0, ...)
   * @param libraries the CUDA and cuDNN libraries, in the order of the two lists
   */
  public record Findings(
      Optional<String> driverVersion, List<Path> devices, List<Library> libraries) {

    /** The libraries not present. */
    public List<String> missingLibraries() {
      return libraries.stream().filter(l -> !l.present()).map(Library::name).toList();
    }
  }

  private final Map<String, String> environment;
  private final Path dev;
  private final Path driverVersion;
  private final List<Path> folders;
  private final Predicate<String> loads;

  /** A probe of this machine. */
  public GpuProbe(Map<String, String> environment) {
    this(environment, DEV, DRIVER_VERSION, LIBRARY_FOLDERS, GpuProbe::dlopen);
  }

  /** A probe of this machine that also searches the given folder (clipsearch gpu install's). */
  public GpuProbe(Map<String, String> environment, Path alsoSearched) {
    this(
        environment,
        DEV,
        DRIVER_VERSION,
        Stream.concat(LIBRARY_FOLDERS.stream(), Stream.of(alsoSearched)).toList(),
        GpuProbe::dlopen);
  }

  /**
   * A probe over the given places (tests point it at a fake machine).
   *
   * @param dev the folder of device files
   * @param driverVersion the driver's version file
   * @param folders library folders searched after LD_LIBRARY_PATH
   * @param loads whether the dynamic linker opens a library, by name
   */
  public GpuProbe(
      Map<String, String> environment,
      Path dev,
      Path driverVersion,
      List<Path> folders,
      Predicate<String> loads) {
    this.environment = environment;
    this.dev = dev;
    this.driverVersion = driverVersion;
    this.folders = folders;
    this.loads = loads;
  }

  /** Looks. */
  public Findings probe() {
    List<Library> libraries = new ArrayList<>();
    for (String name : Stream.concat(CUDA_LIBRARIES.stream(), CUDNN_LIBRARIES.stream()).toList()) {
      libraries.add(new Library(name, find(name).orElse(null), loads.test(name)));
    }
    return new Findings(readDriverVersion(), devices(), libraries);
  }

  private Optional<String> readDriverVersion() {
    if (!Files.isReadable(driverVersion)) {
      return Optional.empty();
    }
    try {
      String text = Files.readString(driverVersion);
      Matcher m = VERSION.matcher(text);
      return Optional.of(m.find() ? m.group(1) : text.lines().findFirst().orElse("unknown"));
    } catch (IOException e) {
      return Optional.of("unreadable (" + e.getMessage() + ")");
    }
  }

  private List<Path> devices() {
    if (!Files.isDirectory(dev)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dev)) {
      return files
          .filter(f -> DEVICE.matcher(f.getFileName().toString()).matches())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dev, e);
    }
  }

  /** The first LD_LIBRARY_PATH entry or usual folder that holds the library. */
  private Optional<Path> find(String name) {
    List<Path> search = new ArrayList<>();
    String path = environment.getOrDefault("LD_LIBRARY_PATH", "");
    for (String entry : path.split(":")) {
      if (!entry.isBlank()) {
        search.add(Path.of(entry));
      }
    }
    search.addAll(folders);
    return search.stream().map(f -> f.resolve(name)).filter(Files::exists).findFirst();
  }

  /** Whether the dynamic linker opens the library (and so ONNX Runtime would). */
  private static boolean dlopen(String name) {
    try {
      SymbolLookup.libraryLookup(name, Arena.global());
      return true;
    } catch (IllegalArgumentException | IllegalCallerException e) {
      return false;
    }
  }
}
