package dev.clipsearch.models.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.testing.TestModels;
import dev.clipsearch.models.testing.TestModels.Layout;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code auto} uses CUDA exactly when an explicit {@code cuda} request would succeed, and runs on
 * the CPU otherwise; an explicit request that cannot be met fails clearly. Holds on machines with
 * and without a GPU.
 */
class DeviceSelectionTest {

  @Test
  void auto_uses_cuda_when_it_loads_and_the_cpu_otherwise() {
    Device cudaOutcome;
    RuntimeOptions options = RuntimeOptions.defaults().withIntraOpThreads(2);
    try (ClipModel model =
        ClipModels.load(TestModels.tiny(Layout.HF), options.withDevice(Device.cuda(0)))) {
      cudaOutcome = ((OnnxClipModel) model).device();
      assertEquals(Device.cuda(0), cudaOutcome);
    } catch (ModelLoadException e) {
      assertTrue(
          e.getMessage().startsWith("device cuda:0 was requested but CUDA cannot be used: "),
          e.getMessage());
      assertTrue(e.getMessage().contains("--device cpu"), e.getMessage());
      cudaOutcome = null;
    }
    try (ClipModel model = ClipModels.load(TestModels.tiny(Layout.HF), options)) {
      assertEquals(
          cudaOutcome == null ? Device.CPU : Device.cuda(0), ((OnnxClipModel) model).device());
      assertEquals(model.dimension(), model.encodeTexts(List.of("a photo of a cat"))[0].length);
    }
  }

  @Test
  void auto_skips_cuda_only_on_a_linux_machine_without_the_nvidia_driver() {
    assertTrue(Sessions.noNvidiaDriver("Linux", path -> false));
    for (Path driverFile : Sessions.NVIDIA_DRIVER) {
      assertFalse(Sessions.noNvidiaDriver("Linux", driverFile::equals), driverFile.toString());
    }
    // Elsewhere the CUDA attempt decides.
    assertFalse(Sessions.noNvidiaDriver("Windows 11", path -> false));
  }
}
