package dev.clipsearch.models.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.Variant;
import dev.clipsearch.models.testing.TestModels;
import dev.clipsearch.models.testing.TestModels.Layout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Choices left to the device, made at load: the CPU gets batch 32, one encoder session and fp32
 * where the directory has it; a directory holding only an fp16 export loads that, and its vectors
 * stay within a cosine of 0.99 of fp32's (the tiny model's fp16 twin stores float16 weights and
 * takes float16 pixels).
 */
class PrecisionByDeviceTest {

  /** The least cosine between an fp16 vector and the fp32 one of the same input. */
  static final double FP16_MIN_COSINE = 0.99;

  @TempDir Path tmp;

  @Test
  void the_cpu_gets_its_batch_size_one_session_and_fp32() {
    Path dir = TestModels.tiny(Layout.HF);
    assertEquals(
        EnumSet.of(Variant.FP32, Variant.FP16, Variant.QUANTIZED), ModelDirectory.offered(dir));
    for (Device device : List.of(Device.CPU, Device.AUTO)) {
      if (device == Device.AUTO && Files.exists(Path.of("/proc/driver/nvidia/version"))) {
        continue; // auto would try CUDA there
      }
      try (OnnxClipModel model =
          OnnxClipModel.load(
              dir,
              RuntimeOptions.byDevice().withDevice(device).withIntraOpThreads(1),
              getClass().getClassLoader())) {
        assertEquals(
            new RuntimeOptions(
                Device.CPU,
                1,
                RuntimeOptions.CPU_BATCH_SIZE,
                Variant.FP32,
                RuntimeOptions.CPU_ENCODER_SESSIONS),
            model.runtime(),
            device.toString());
        assertEquals(1, model.imageEncoderSessions());
      }
    }
  }

  @Test
  void a_directory_with_only_an_fp16_export_loads_it_close_to_fp32() throws IOException {
    Path full = TestModels.tiny(Layout.HF);
    Path fp16Only = tmp.resolve("fp16-only");
    Files.createDirectories(fp16Only.resolve("onnx"));
    for (String file :
        List.of(
            "config.json",
            "preprocessor_config.json",
            "tokenizer.json",
            "onnx/vision_model_fp16.onnx",
            "onnx/text_model_fp16.onnx")) {
      Files.copy(full.resolve(file), fp16Only.resolve(file));
    }
    assertEquals(EnumSet.of(Variant.FP16), ModelDirectory.offered(fp16Only));
    RuntimeOptions cpu = RuntimeOptions.byDevice().withDevice(Device.CPU).withIntraOpThreads(1);
    try (OnnxClipModel fp16 = OnnxClipModel.load(fp16Only, cpu, getClass().getClassLoader());
        OnnxClipModel fp32 = OnnxClipModel.load(full, cpu, getClass().getClassLoader())) {
      assertEquals(Variant.FP16, fp16.runtime().variant());
      assertEquals(Variant.FP32, fp32.runtime().variant());
      assertNotEquals(fp32.id(), fp16.id(), "fp16 vectors must not pass for fp32 ones");
      Random random = new Random(TestModels.SEED);
      List<float[]> images =
          ImageInputBuffersTest.images(random, 5, fp32.spec().preprocess().tensorLength());
      float[][] a = fp32.encodeImages(images);
      float[][] b = fp16.encodeImages(images);
      float[][] c = fp32.encodeTexts(List.of("a red shoe", "blue ceramic mug"));
      float[][] d = fp16.encodeTexts(List.of("a red shoe", "blue ceramic mug"));
      for (int i = 0; i < a.length; i++) {
        double cos = dot(a[i], b[i]);
        assertTrue(cos > FP16_MIN_COSINE, "image " + i + " cosine " + cos);
      }
      for (int i = 0; i < c.length; i++) {
        double cos = dot(c[i], d[i]);
        assertTrue(cos > FP16_MIN_COSINE, "text " + i + " cosine " + cos);
      }
    }
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
