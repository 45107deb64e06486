package dev.clipsearch.models.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.RuntimeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a model's ONNX Runtime sessions on the requested device. {@code auto} tries CUDA and
 * falls back to CPU with one log line saying why; {@code cuda} fails if CUDA cannot be used. On a
 * Linux machine without the NVIDIA driver, {@code auto} goes straight to the CPU: trying would only
 * make ONNX Runtime print an error about missing CUDA libraries.
 */
final class Sessions {

  private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

  /**
   * The sessions, in the order of the sources, and the device they run on (never auto).
   *
   * @param sessions one session per source
   * @param device cpu or cuda:N
   */
  record Opened(List<OrtSession> sessions, Device device) {}

  private Sessions() {}

  static Opened open(OrtEnvironment env, List<ModelSource> sources, RuntimeOptions options) {
    Device requested = options.device();
    if (requested.kind() == Device.Kind.CPU) {
      return new Opened(cpu(env, sources, options), Device.CPU);
    }
    if (requested.kind() == Device.Kind.AUTO
        && noNvidiaDriver(System.getProperty("os.name", ""), Files::exists)) {
      LOG.info(
          "device auto: running on the CPU: no NVIDIA driver on this machine ({})", NVIDIA_DRIVER);
      return new Opened(cpu(env, sources, options), Device.CPU);
    }
    Device cuda = requested.kind() == Device.Kind.CUDA ? requested : Device.cuda(0);
    try {
      return new Opened(create(env, sources, options, cuda), cuda);
    } catch (CudaUnavailable e) {
      if (requested.kind() == Device.Kind.CUDA) {
        throw new ModelLoadException(
            "device "
                + cuda
                + " was requested but CUDA cannot be used: "
                + e.reason
                + " (onnxruntime_gpu needs an NVIDIA GPU with CUDA 12 and cuDNN 9 libraries on"
                + " the library path; use --device cpu or auto to run on the CPU)",
            e.getCause());
      }
      List<OrtSession> cpu = cpu(env, sources, options);
      LOG.info("device auto: running on the CPU because CUDA cannot be used: {}", e.reason);
      return new Opened(cpu, Device.CPU);
    }
  }

  /** What the NVIDIA kernel driver creates on Linux; CUDA cannot work without one of them. */
  static final List<Path> NVIDIA_DRIVER =
      List.of(Path.of("/proc/driver/nvidia/version"), Path.of("/dev/nvidiactl"));

  /**
   * Whether this is a Linux machine without the NVIDIA driver. Elsewhere (Windows) the answer is
   * always no: the attempt decides.
   */
  static boolean noNvidiaDriver(String osName, Predicate<Path> exists) {
    return osName.toLowerCase(Locale.ROOT).startsWith("linux")
        && NVIDIA_DRIVER.stream().noneMatch(exists);
  }

  /** Thrown when the CUDA execution provider or a CUDA session cannot be created. */
  private static final class CudaUnavailable extends Exception {
    final String reason;

    CudaUnavailable(String reason, Throwable cause) {
      super(reason, cause);
      this.reason = reason;
    }
  }

  private static List<OrtSession> cpu(
      OrtEnvironment env, List<ModelSource> sources, RuntimeOptions options) {
    try {
      return create(env, sources, options, null);
    } catch (CudaUnavailable e) {
      throw new IllegalStateException("CPU sessions do not use CUDA", e);
    }
  }

  private static List<OrtSession> create(
      OrtEnvironment env, List<ModelSource> sources, RuntimeOptions options, Device cuda)
      throws CudaUnavailable {
    List<OrtSession> sessions = new ArrayList<>();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (options.intraOpThreads() > 0) {
        so.setIntraOpNumThreads(options.intraOpThreads());
      }
      if (cuda != null) {
        try {
          so.addCUDA(cuda.index());
        } catch (OrtException | RuntimeException | LinkageError e) {
          throw new CudaUnavailable(oneLine(e), e);
        }
      }
      for (ModelSource source : sources) {
        sessions.add(session(env, source, so, cuda));
      }
      return sessions;
    } catch (OrtException e) {
      closeAll(sessions);
      throw new ModelLoadException("cannot configure ONNX Runtime: " + oneLine(e), e);
    } catch (CudaUnavailable | RuntimeException e) {
      closeAll(sessions);
      throw e;
    }
  }

  private static OrtSession session(
      OrtEnvironment env, ModelSource source, OrtSession.SessionOptions so, Device cuda)
      throws CudaUnavailable {
    try {
      if (source instanceof ModelSource.FileSource file) {
        return env.createSession(file.path().toString(), so);
      }
      return env.createSession(source.readAllBytes(), so);
    } catch (OrtException e) {
      if (cuda != null && mentionsCuda(e)) {
        throw new CudaUnavailable(oneLine(e), e);
      }
      throw new ModelLoadException(
          source.describe() + ": ONNX Runtime cannot load it: " + oneLine(e), e);
    }
  }

  private static boolean mentionsCuda(Throwable e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    return m.contains("cuda") || m.contains("cudnn") || m.contains("cublas");
  }

  static void closeAll(List<OrtSession> sessions) {
    for (OrtSession s : sessions) {
      try {
        s.close();
      } catch (OrtException | RuntimeException e) {
        LOG.warn("cannot close an ONNX Runtime session: {}", oneLine(e));
      }
    }
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
