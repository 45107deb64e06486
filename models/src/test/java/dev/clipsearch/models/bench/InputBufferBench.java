package dev.clipsearch.models.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What reusing an image session's input buffer saves per batch, without the model: the old way (a
 * new float array per batch, the images copied in, then {@code OnnxTensor.createTensor} copying it
 * again into a new direct buffer) against the new (the images copied once into a direct buffer kept
 * between batches, the tensor created over it). Prints ms per batch and the bytes allocated per
 * batch.
 *
 * <pre>
 * InputBufferBench [--batches 8,32,128,256] [--seconds 5]
 * </pre>
 */
public final class InputBufferBench {

  private static final int LENGTH = 3 * 224 * 224;

  private InputBufferBench() {}

  public static void main(String[] args) throws OrtException {
    int[] batches = {8, 32, 128, 256};
    double seconds = 5;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--batches" ->
            batches =
                java.util.Arrays.stream(args[i + 1].split(","))
                    .mapToInt(Integer::parseInt)
                    .toArray();
        case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    System.out.printf(
        Locale.ROOT,
        "%6s %16s %16s %16s%n",
        "batch",
        "fresh ms/batch",
        "reused ms/batch",
        "MB not allocated");
    Random random = new Random(42);
    for (int batch : batches) {
      List<float[]> images = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        float[] t = new float[LENGTH];
        for (int j = 0; j < LENGTH; j++) {
          t[j] = (float) random.nextGaussian();
        }
        images.add(t);
      }
      long[] shape = {batch, 3, 224, 224};
      double fresh =
          time(
              () -> {
                float[] data = new float[batch * LENGTH];
                for (int r = 0; r < batch; r++) {
                  System.arraycopy(images.get(r), 0, data, r * LENGTH, LENGTH);
                }
                try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape)) {
                  return t.getInfo().getShape()[0];
                }
              },
              seconds);
      FloatBuffer kept =
          ByteBuffer.allocateDirect(batch * LENGTH * 4)
              .order(ByteOrder.nativeOrder())
              .asFloatBuffer();
      double reused =
          time(
              () -> {
                for (int r = 0; r < batch; r++) {
                  kept.put(r * LENGTH, images.get(r), 0, LENGTH);
                }
                try (OnnxTensor t =
                    OnnxTensor.createTensor(env, kept.slice(0, batch * LENGTH), shape)) {
                  return t.getInfo().getShape()[0];
                }
              },
              seconds);
      System.out.printf(
          Locale.ROOT,
          "%6d %16.2f %16.2f %16.1f%n",
          batch,
          fresh,
          reused,
          2.0 * batch * LENGTH * 4 / 1e6);
    }
  }

  /** An operation that throws what ONNX Runtime throws. */
  interface Op {
    long run() throws OrtException;
  }

  /** ms per call: calls for {@code seconds} after two warm-up calls (at least 5 calls). */
  static double time(Op op, double seconds) throws OrtException {
    op.run();
    op.run();
    long start = System.nanoTime();
    int calls = 0;
    long sink = 0;
    do {
      sink += op.run();
      calls++;
    } while (calls < 5 || System.nanoTime() - start < seconds * 1e9);
    if (sink == 42) {
      System.out.print("");
    }
    return (System.nanoTime() - start) / 1e6 / calls;
  }
}
