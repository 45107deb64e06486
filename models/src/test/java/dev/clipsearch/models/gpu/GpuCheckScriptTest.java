package dev.clipsearch.models.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clipsearch.models.testing.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code scripts/gpu-check.sh} on a machine without the NVIDIA driver stops at once with exit code
 * 1 and a message saying there is no GPU, before it builds or generates anything. Skipped where a
 * driver is installed (there the script measures the GPU).
 */
class GpuCheckScriptTest {

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void without_a_driver_the_script_stops_at_once_saying_there_is_no_gpu() throws Exception {
    assumeTrue(
        !Files.exists(Path.of("/proc/driver/nvidia/version"))
            && !Files.exists(Path.of("/dev/nvidiactl")),
        "an NVIDIA driver is installed: the script would measure the GPU");
    Path script = TestModels.root().resolve("scripts/gpu-check.sh");
    Process process =
        new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
    try {
      process.getOutputStream().close();
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "gpu-check.sh did not stop");
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(1, process.exitValue(), output);
      assertTrue(output.contains("no NVIDIA driver on this machine"), output);
      assertTrue(!output.contains("== clipsearch doctor"), output);
    } finally {
      process.destroyForcibly();
    }
  }
}
