package dev.clipsearch.models.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.RuntimeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a model's ONNX Runtime sessions on the requested device. {@code auto} tries CUDA and
 * falls back to CPU with one log line saying why; {@code cuda} fails if CUDA cannot be used. On a
 * Linux machine without the NVIDIA driver, {@code auto} goes straight to the CPU: trying would only
 * make ONNX Runtime print an error about missing CUDA libraries.
 *
 * <p>Session options, per {@link Role}: every graph optimization; the intra-op thread count asked
 * for; memory pattern planning and the CPU arena left on (ONNX Runtime's defaults: inputs of one
 * shape reuse one plan). Text sessions, which a server runs one query at a time with idle gaps, do
 * not let their threads spin between calls (spinning threads would take cores from Lucene). On
 * CUDA: cuDNN picks convolution algorithms by heuristic rather than by exhaustive timing, because
 * the exhaustive search runs again for every new batch shape and an indexer's partial batches have
 * many; the memory arena grows by what is asked rather than to the next power of two, so that two
 * sessions at batch 256 fit; copies stay on the compute stream (ONNX Runtime warns that separate
 * copy streams race on some models).
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

  /** What a session serves, which decides a few of its options. */
  enum Role {
    /** An image tower: batches, back to back, while indexing. */
    IMAGE_BATCHES,
    /** A text tower: mostly single queries, with idle time between them. */
    TEXT_QUERIES
  }

  /**
   * One session to create.
   *
   * @param source the ONNX file
   * @param role what the session serves
   */
  record Planned(ModelSource source, Role role) {}

  /** ONNX Runtime's CUDA provider options set here, with the reasons in the class comment. */
  static final Map<String, String> CUDA_OPTIONS =
      Map.of(
          "cudnn_conv_algo_search", "HEURISTIC",
          "arena_extend_strategy", "kSameAsRequested",
          "do_copy_in_default_stream", "1");

  /** Lets a text session's threads sleep as soon as a call ends. */
  static final Map<String, String> TEXT_CONFIG = Map.of("session.intra_op.allow_spinning", "0");

  /**
   * The device {@link #open} will try first for {@code requested}: the CPU when asked, or for
   * {@code auto} on a Linux machine without the NVIDIA driver; else CUDA.
   */
  static Device firstChoice(Device requested) {
    if (requested.kind() == Device.Kind.CPU
        || (requested.kind() == Device.Kind.AUTO
            && noNvidiaDriver(System.getProperty("os.name", ""), Files::exists))) {
      return Device.CPU;
    }
    return requested.kind() == Device.Kind.CUDA ? requested : Device.cuda(0);
  }

  private Sessions() {}

  static Opened open(OrtEnvironment env, List<Planned> sources, RuntimeOptions options) {
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
  static final class CudaUnavailable extends Exception {
    final String reason;

    CudaUnavailable(String reason, Throwable cause) {
      super(reason, cause);
      this.reason = reason;
    }
  }

  private static List<OrtSession> cpu(
      OrtEnvironment env, List<Planned> sources, RuntimeOptions options) {
    try {
      return create(env, sources, options, null);
    } catch (CudaUnavailable e) {
      throw new IllegalStateException("CPU sessions do not use CUDA", e);
    }
  }

  private static List<OrtSession> create(
      OrtEnvironment env, List<Planned> sources, RuntimeOptions options, Device cuda)
      throws CudaUnavailable {
    List<OrtSession> sessions = new ArrayList<>();
    try {
      for (Planned planned : sources) {
        try (OrtSession.SessionOptions so = sessionOptions(planned.role(), options, cuda)) {
          sessions.add(session(env, planned.source(), so, cuda));
        }
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

  /** The options of one session; see the class comment for the choices. */
  static OrtSession.SessionOptions sessionOptions(Role role, RuntimeOptions options, Device cuda)
      throws OrtException, CudaUnavailable {
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    try {
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (options.intraOpThreads() > 0) {
        so.setIntraOpNumThreads(options.intraOpThreads());
      }
      so.setMemoryPatternOptimization(true);
      so.setCPUArenaAllocator(true);
      if (role == Role.TEXT_QUERIES) {
        for (Map.Entry<String, String> e : TEXT_CONFIG.entrySet()) {
          so.addConfigEntry(e.getKey(), e.getValue());
        }
      }
      if (cuda != null) {
        try (OrtCUDAProviderOptions provider = new OrtCUDAProviderOptions(cuda.index())) {
          for (Map.Entry<String, String> e : CUDA_OPTIONS.entrySet()) {
            provider.add(e.getKey(), e.getValue());
          }
          so.addCUDA(provider);
        } catch (OrtException | RuntimeException | LinkageError e) {
          throw new CudaUnavailable(oneLine(e), e);
        }
      }
      return so;
    } catch (OrtException | CudaUnavailable | RuntimeException e) {
      so.close();
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
