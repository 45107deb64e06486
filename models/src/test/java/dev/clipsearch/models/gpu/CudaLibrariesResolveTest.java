package dev.clipsearch.models.gpu;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.cli.ModelsConfig;
import dev.clipsearch.models.doctor.GpuProbe;
import dev.clipsearch.models.testing.TestModels;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * With the libraries {@code clipsearch gpu install} fetched present in the clipsearch home, every
 * CUDA 12 and cuDNN 9 library ONNX Runtime needs resolves, and the CUDA provider's failure on a
 * machine without a GPU names the driver or the device, not a missing library. Skipped when they
 * are not installed. Run it (the README says so) with them on the library path:
 *
 * <pre>
 * ./clipsearch gpu install
 * LD_LIBRARY_PATH=~/.cache/clipsearch/gpu/lib ./mvnw -o -B -pl models -am test \
 *   -Dtest=CudaLibrariesResolveTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIf("installed")
class CudaLibrariesResolveTest {

  static Path lib() {
    return CudaRedist.libraryDir(
        ModelsConfig.fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")))
            .home());
  }

  static boolean installed() {
    return Files.exists(lib().resolve(CudaRedist.MARKER));
  }

  @Test
  void every_cuda_and_cudnn_library_resolves() {
    for (String name :
        Stream.concat(GpuProbe.CUDA_LIBRARIES.stream(), GpuProbe.CUDNN_LIBRARIES.stream())
            .toList()) {
      Path file = lib().resolve(name);
      assertTrue(Files.exists(file), file + " is missing");
      assertDoesNotThrow(() -> SymbolLookup.libraryLookup(file, Arena.global()), name);
    }
  }

  @Test
  void the_cuda_provider_fails_on_the_driver_or_device_not_on_a_library() {
    String path = System.getenv().getOrDefault("LD_LIBRARY_PATH", "");
    assertTrue(
        path.contains(lib().toString()),
        "run with LD_LIBRARY_PATH=" + lib() + " (the launcher sets it), got '" + path + "'");
    RuntimeOptions cuda = RuntimeOptions.defaults().withDevice(Device.cuda(0));
    try (ClipModel model = ClipModels.load(TestModels.tiny(TestModels.Layout.HF), cuda)) {
      // a GPU is there: CUDA works end to end
    } catch (ModelLoadException e) {
      StringBuilder chain = new StringBuilder();
      for (Throwable t = e; t != null; t = t.getCause()) {
        chain.append(t.getMessage()).append(" | ");
      }
      String text = chain.toString();
      assertFalse(text.contains("cannot open shared object"), text);
      assertFalse(text.contains("Failed to load shared library"), text);
    }
  }
}
