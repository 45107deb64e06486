package dev.clipsearch.models;

/**
 * How a model runs, chosen by the caller (the command line) and fixed at load time.
 *
 * @param device where inference runs
 * @param intraOpThreads threads ONNX Runtime uses inside one call; 0 lets it pick (one per core)
 * @param batchSize the most inputs sent to the model in one call; longer lists are split
 * @param variant which numeric variant of the ONNX files to load
 */
public record RuntimeOptions(Device device, int intraOpThreads, int batchSize, Variant variant) {

  /** Default batch size: large enough to keep a GPU busy, small enough for CPU memory. */
  public static final int DEFAULT_BATCH_SIZE = 32;

  public RuntimeOptions {
    if (device == null || variant == null) {
      throw new IllegalArgumentException("device and variant are required");
    }
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("intra-op threads must be >= 0, got " + intraOpThreads);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
  }

  /** {@code auto} device, ONNX Runtime's default thread count, batches of 32, fp32. */
  public static RuntimeOptions defaults() {
    return new RuntimeOptions(Device.AUTO, 0, DEFAULT_BATCH_SIZE, Variant.FP32);
  }

  public RuntimeOptions withDevice(Device newDevice) {
    return new RuntimeOptions(newDevice, intraOpThreads, batchSize, variant);
  }

  public RuntimeOptions withIntraOpThreads(int threads) {
    return new RuntimeOptions(device, threads, batchSize, variant);
  }

  public RuntimeOptions withBatchSize(int size) {
    return new RuntimeOptions(device, intraOpThreads, size, variant);
  }

  public RuntimeOptions withVariant(Variant newVariant) {
    return new RuntimeOptions(device, intraOpThreads, batchSize, newVariant);
  }
}
