package dev.clipsearch.models.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.Variant;
import dev.clipsearch.models.testing.TestModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator's {@code --fp16-compute} twin, whose graph is float16 throughout (weights,
 * constants, activations, input and output; what a GPU runs at fp16 speed), loads at {@code
 * --precision fp16} and, on the CPU, gives vectors within a cosine of {@link
 * PrecisionByDeviceTest#FP16_MIN_COSINE} of the fp32 model's.
 */
class Fp16ComputeTwinTest {

  @TempDir Path tmp;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void a_float16_graph_loads_and_stays_close_to_fp32() throws Exception {
    Path out = tmp.resolve("fp16-compute");
    generate(out);
    Path dir = out.resolve("hf");
    RuntimeOptions cpu = RuntimeOptions.defaults().withDevice(Device.CPU).withIntraOpThreads(1);
    try (OnnxClipModel fp32 = OnnxClipModel.load(dir, cpu, getClass().getClassLoader());
        OnnxClipModel fp16 =
            OnnxClipModel.load(dir, cpu.withVariant(Variant.FP16), getClass().getClassLoader())) {
      assertEquals(Variant.FP16, fp16.runtime().variant());
      Random random = new Random(TestModels.SEED);
      List<float[]> images =
          ImageInputBuffersTest.images(random, 5, fp32.spec().preprocess().tensorLength());
      float[][] a = fp32.encodeImages(images);
      float[][] b = fp16.encodeImages(images);
      List<String> texts = List.of("a red shoe", "blue ceramic mug on a wooden table");
      float[][] c = fp32.encodeTexts(texts);
      float[][] d = fp16.encodeTexts(texts);
      for (int i = 0; i < a.length; i++) {
        double cos = PrecisionByDeviceTest.dot(a[i], b[i]);
        assertTrue(cos > PrecisionByDeviceTest.FP16_MIN_COSINE, "image " + i + " cosine " + cos);
      }
      for (int i = 0; i < c.length; i++) {
        double cos = PrecisionByDeviceTest.dot(c[i], d[i]);
        assertTrue(cos > PrecisionByDeviceTest.FP16_MIN_COSINE, "text " + i + " cosine " + cos);
      }
    }
  }

  private static void generate(Path out) throws IOException, InterruptedException {
    Path log = out.resolveSibling("generate.log");
    Process process =
        new ProcessBuilder(
                "/usr/bin/python3",
                TestModels.generator().toString(),
                "--size",
                "tiny",
                "--layouts",
                "hf",
                "--variants",
                "fp32,fp16",
                "--fp16-compute",
                "--vocab",
                TestModels.clipVocabulary().toString(),
                "--out",
                out.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      assertTrue(process.waitFor(3, TimeUnit.MINUTES), "the generator did not finish");
      assertEquals(0, process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      process.destroyForcibly();
    }
  }
}
