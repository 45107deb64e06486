package dev.clipsearch.models;

import java.util.Set;

/**
 * How a model runs, chosen by the caller (the command line) and fixed at load time. The batch size,
 * the number of image encoder sessions and the variant may be left to the device ({@link
 * #byDevice()}): they are then chosen once the device in use is known ({@link #resolvedOn}).
 *
 * @param device where inference runs
 * @param intraOpThreads threads ONNX Runtime uses inside one call; 0 lets it pick (one per core,
 *     shared out between the encoder sessions on the CPU)
 * @param batchSize the most inputs sent to the model in one call, longer lists are split; {@link
 *     #BY_DEVICE} for {@link #CPU_BATCH_SIZE} on the CPU and {@link #CUDA_BATCH_SIZE} on CUDA
 * @param variant which numeric variant of the ONNX files to load; null for fp16 on CUDA when the
 *     model directory has it, else fp32
 * @param encoderSessions how many image tower sessions encode batches concurrently; {@link
 *     #BY_DEVICE} for {@link #CPU_ENCODER_SESSIONS} on the CPU and {@link #CUDA_ENCODER_SESSIONS}
 *     on CUDA
 */
public record RuntimeOptions(
    Device device, int intraOpThreads, int batchSize, Variant variant, int encoderSessions) {

  /** Batch size or session count left to the device in use. */
  public static final int BY_DEVICE = 0;

  /** Default batch size: large enough to keep a GPU busy, small enough for CPU memory. */
  public static final int DEFAULT_BATCH_SIZE = 32;

  /**
   * Batch size on the CPU: past 8 to 32 images a CPU gains little per image (measured in
   * docs/benchmarks.md), and every image in a batch waits for the slowest.
   */
  public static final int CPU_BATCH_SIZE = DEFAULT_BATCH_SIZE;

  /**
   * Batch size on CUDA: a ViT-B/32 batch of 128 is 1.1 TFLOP, enough to fill a current GPU's
   * streaming multiprocessors, while its input (128 x 3 x 224 x 224 floats, 77 MB) still copies to
   * the device in a few milliseconds.
   */
  public static final int CUDA_BATCH_SIZE = 128;

  /** Encoder sessions on the CPU: one; ONNX Runtime already spreads one call over every core. */
  public static final int CPU_ENCODER_SESSIONS = 1;

  /**
   * Encoder sessions on CUDA: two, so that one session's host work (copying the batch in and the
   * vectors out, normalizing) overlaps the other's kernels; each holds a copy of the weights on the
   * device.
   */
  public static final int CUDA_ENCODER_SESSIONS = 2;

  public RuntimeOptions {
    if (device == null) {
      throw new IllegalArgumentException("device is required");
    }
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("intra-op threads must be >= 0, got " + intraOpThreads);
    }
    if (batchSize < 0) {
      throw new IllegalArgumentException(
          "batch size must be >= 1 (or 0 for the device's default), got " + batchSize);
    }
    if (encoderSessions < 0) {
      throw new IllegalArgumentException(
          "encoder sessions must be >= 1 (or 0 for the device's default), got " + encoderSessions);
    }
  }

  /** Options with one encoder session. */
  public RuntimeOptions(Device device, int intraOpThreads, int batchSize, Variant variant) {
    this(device, intraOpThreads, batchSize, variant, 1);
  }

  /** {@code auto} device, ONNX Runtime's default thread count, batches of 32, fp32, one session. */
  public static RuntimeOptions defaults() {
    return new RuntimeOptions(Device.AUTO, 0, DEFAULT_BATCH_SIZE, Variant.FP32, 1);
  }

  /**
   * {@code auto} device, ONNX Runtime's default thread count, and the batch size, encoder sessions
   * and variant of the device in use: what {@code clipsearch index} runs unless told otherwise.
   */
  public static RuntimeOptions byDevice() {
    return new RuntimeOptions(Device.AUTO, 0, BY_DEVICE, null, BY_DEVICE);
  }

  public RuntimeOptions withDevice(Device newDevice) {
    return new RuntimeOptions(newDevice, intraOpThreads, batchSize, variant, encoderSessions);
  }

  public RuntimeOptions withIntraOpThreads(int threads) {
    return new RuntimeOptions(device, threads, batchSize, variant, encoderSessions);
  }

  /** A copy with another batch size; {@link #BY_DEVICE} leaves it to the device. */
  public RuntimeOptions withBatchSize(int size) {
    return new RuntimeOptions(device, intraOpThreads, size, variant, encoderSessions);
  }

  /** A copy with another variant; null leaves it to the device. */
  public RuntimeOptions withVariant(Variant newVariant) {
    return new RuntimeOptions(device, intraOpThreads, batchSize, newVariant, encoderSessions);
  }

  /** A copy with another number of encoder sessions; {@link #BY_DEVICE} leaves it to the device. */
  public RuntimeOptions withEncoderSessions(int sessions) {
    return new RuntimeOptions(device, intraOpThreads, batchSize, variant, sessions);
  }

  /**
   * The variant to load on {@code actual} from a directory offering {@code offered}: the one asked
   * for, else fp16 on CUDA when offered, else fp32 when offered, else the first offered.
   */
  public Variant variantOn(Device actual, Set<Variant> offered) {
    if (variant != null) {
      return variant;
    }
    if (actual.kind() == Device.Kind.CUDA && offered.contains(Variant.FP16)) {
      return Variant.FP16;
    }
    if (offered.contains(Variant.FP32) || offered.isEmpty()) {
      return Variant.FP32;
    }
    return offered.iterator().next();
  }

  /**
   * These options with every choice made for {@code actual} (cpu or cuda:N, never auto): the
   * device's batch size and session count where left to it, {@code chosen} as the variant, and on
   * the CPU with several sessions and no thread count given, the cores shared out between them.
   */
  public RuntimeOptions resolvedOn(Device actual, Variant chosen) {
    if (actual.kind() == Device.Kind.AUTO) {
      throw new IllegalArgumentException("resolve on the device in use, not auto");
    }
    boolean cuda = actual.kind() == Device.Kind.CUDA;
    int batch = batchSize != BY_DEVICE ? batchSize : cuda ? CUDA_BATCH_SIZE : CPU_BATCH_SIZE;
    int sessions =
        encoderSessions != BY_DEVICE
            ? encoderSessions
            : cuda ? CUDA_ENCODER_SESSIONS : CPU_ENCODER_SESSIONS;
    int threads = intraOpThreads;
    if (threads == 0 && !cuda && sessions > 1) {
      threads = Math.max(1, Runtime.getRuntime().availableProcessors() / sessions);
    }
    return new RuntimeOptions(actual, threads, batch, chosen, sessions);
  }

  /** For a run's settings line: {@code batch 32, 1 encoder session, precision fp32}. */
  public String describe() {
    return "batch "
        + (batchSize == BY_DEVICE ? "by device" : String.valueOf(batchSize))
        + ", "
        + (encoderSessions == BY_DEVICE ? "by device" : String.valueOf(encoderSessions))
        + (encoderSessions == 1 ? " encoder session, " : " encoder sessions, ")
        + "precision "
        + (variant == null ? "by device" : variant.toString());
  }
}
