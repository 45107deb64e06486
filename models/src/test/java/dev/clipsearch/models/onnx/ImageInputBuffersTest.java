package dev.clipsearch.models.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.platform.Fp16Conversions;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.Variant;
import dev.clipsearch.models.testing.RandomSeed;
import dev.clipsearch.models.testing.TestModels;
import dev.clipsearch.models.testing.TestModels.Layout;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Image batches written into reused direct buffers give the same bits as the tensors built from a
 * fresh heap array per batch, as the encoder did before: checked against a plain ONNX Runtime
 * session fed that way, batch by batch, for the fp32 and fp16 (float16 input) variants of the tiny
 * Hugging Face model.
 */
@ExtendWith(RandomSeed.Extension.class)
class ImageInputBuffersTest {

  static final int BATCH = 4;

  @ParameterizedTest
  @EnumSource(
      value = Variant.class,
      names = {"FP32", "FP16"})
  void reused_buffers_give_the_vectors_of_fresh_arrays_bit_for_bit(Variant variant, RandomSeed seed)
      throws OrtException {
    Path dir = TestModels.tiny(Layout.HF);
    RuntimeOptions options =
        RuntimeOptions.defaults()
            .withDevice(Device.CPU)
            .withIntraOpThreads(1)
            .withBatchSize(BATCH)
            .withVariant(variant);
    Random random = seed.random();
    try (ClipModel model = ClipModels.load(dir, options);
        Reference reference = new Reference(dir, variant)) {
      int length = model.spec().preprocess().tensorLength();
      // 1, 3 and a full batch; then 10 = two full batches and a partial one; then 1 again, after
      // the buffer held larger batches
      for (int n : new int[] {1, 3, BATCH, 10, 1}) {
        List<float[]> images = images(random, n, length);
        float[][] got = model.encodeImages(images);
        float[][] expected = reference.encode(images);
        assertEquals(n, got.length);
        for (int i = 0; i < n; i++) {
          assertArrayEquals(
              expected[i], got[i], variant + " " + seed + ", " + n + " images, #" + i);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Variant.class,
      names = {"FP32"})
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void concurrent_calls_on_several_sessions_give_the_single_threaded_vectors(
      Variant variant, RandomSeed seed) throws Exception {
    Path dir = TestModels.tiny(Layout.HF);
    RuntimeOptions options =
        RuntimeOptions.defaults()
            .withDevice(Device.CPU)
            .withIntraOpThreads(1)
            .withBatchSize(BATCH)
            .withVariant(variant)
            .withEncoderSessions(2);
    Random random = seed.random();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (ClipModel model = ClipModels.load(dir, options);
        Reference reference = new Reference(dir, variant)) {
      assertEquals(2, model.imageEncoderSessions());
      int length = model.spec().preprocess().tensorLength();
      List<List<float[]>> calls = new ArrayList<>();
      for (int c = 0; c < 12; c++) {
        calls.add(images(random, 1 + random.nextInt(2 * BATCH), length));
      }
      List<Future<float[][]>> results = new ArrayList<>();
      for (List<float[]> call : calls) {
        results.add(pool.submit(() -> model.encodeImages(call)));
      }
      for (int c = 0; c < calls.size(); c++) {
        float[][] got = results.get(c).get(1, TimeUnit.MINUTES);
        float[][] expected = reference.encode(calls.get(c));
        for (int i = 0; i < expected.length; i++) {
          assertArrayEquals(expected[i], got[i], seed + ", call " + c + ", image " + i);
        }
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(1, TimeUnit.MINUTES);
    }
  }

  static List<float[]> images(Random random, int n, int length) {
    List<float[]> images = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] t = new float[length];
      for (int j = 0; j < length; j++) {
        t[j] = (float) random.nextGaussian();
      }
      images.add(t);
    }
    return images;
  }

  /** The vision graph fed as before buffer reuse: a heap array per batch, wrapped and copied. */
  static final class Reference implements AutoCloseable {
    final OrtEnvironment env = OrtEnvironment.getEnvironment();
    final OrtSession session;
    final boolean fp16;

    Reference(Path dir, Variant variant) throws OrtException {
      String file = variant == Variant.FP16 ? "vision_model_fp16.onnx" : "vision_model.onnx";
      try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        so.setIntraOpNumThreads(1);
        session = env.createSession(dir.resolve("onnx").resolve(file).toString(), so);
      }
      fp16 = variant == Variant.FP16;
    }

    float[][] encode(List<float[]> images) throws OrtException {
      int length = images.get(0).length;
      int side = (int) Math.round(Math.sqrt(length / 3.0));
      float[][] out = new float[images.size()][];
      for (int from = 0; from < images.size(); from += BATCH) {
        int rows = Math.min(BATCH, images.size() - from);
        float[] data = new float[rows * length];
        for (int r = 0; r < rows; r++) {
          System.arraycopy(images.get(from + r), 0, data, r * length, length);
        }
        long[] shape = {rows, 3, side, side};
        FloatBuffer buffer = FloatBuffer.wrap(data);
        try (OnnxTensor tensor =
                fp16
                    ? OnnxTensor.createTensor(
                        env,
                        Fp16Conversions.convertFloatBufferToFp16Buffer(buffer),
                        shape,
                        OnnxJavaType.FLOAT16)
                    : OnnxTensor.createTensor(env, buffer, shape);
            OrtSession.Result result = session.run(Map.of("pixel_values", tensor))) {
          OnnxTensor embeds = (OnnxTensor) result.get("image_embeds").orElseThrow();
          FloatBuffer values = embeds.getFloatBuffer();
          int width = values.remaining() / rows;
          for (int r = 0; r < rows; r++) {
            float[] v = new float[width];
            values.get(r * width, v);
            out[from + r] = Vectors.l2Normalize(v);
          }
        }
      }
      return out;
    }

    @Override
    public void close() throws OrtException {
      session.close();
    }
  }
}
