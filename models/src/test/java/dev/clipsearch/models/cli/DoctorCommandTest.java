package dev.clipsearch.models.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.doctor.GpuProbe;
import dev.clipsearch.models.testing.TestModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code clipsearch doctor} on this machine and on fake machines with and without a GPU. */
class DoctorCommandTest {

  @TempDir Path tmp;

  private static List<String> run(DoctorCommand command, String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(out));
    assertEquals(0, cli.execute(args));
    return out.toString().lines().toList();
  }

  @Test
  void on_this_machine_it_says_what_it_found_line_by_line() {
    List<String> lines = run(new DoctorCommand());
    List<String> prefixes =
        List.of(
            "NVIDIA driver: ",
            "GPU devices: ",
            "CUDA 12 libraries: libcudart.so.12",
            "cuDNN 9 libraries: libcudnn.so.9",
            "CUDA provider: ",
            "JPEG decoder: libjpeg-turbo (libturbojpeg.so",
            "model: none given",
            "device auto: ");
    assertEquals(prefixes.size(), lines.size(), String.join("\n", lines));
    for (int i = 0; i < prefixes.size(); i++) {
      assertTrue(lines.get(i).startsWith(prefixes.get(i)), lines.get(i));
    }
    if (!Files.exists(Path.of("/proc/driver/nvidia/version"))) { // the development machine
      assertEquals("NVIDIA driver: not found (no /proc/driver/nvidia/version)", lines.get(0));
      assertEquals(
          "device auto: cpu, because no NVIDIA driver is installed (CUDA needs the driver and a"
              + " GPU)",
          lines.get(7));
    }
  }

  @Test
  void with_a_model_it_says_the_device_batch_sessions_and_precision_it_runs_at() {
    Path model = TestModels.tiny(TestModels.Layout.HF);
    String line =
        run(new DoctorCommand(), "--model", model.toString()).stream()
            .filter(l -> l.startsWith("model: "))
            .findFirst()
            .orElseThrow();
    if (!Files.exists(Path.of("/proc/driver/nvidia/version"))) { // the development machine
      assertTrue(
          line.contains("(cpu, batch 32, 1 encoder session, precision fp32, from " + model + ")"),
          line);
    }
    String fp16 =
        run(new DoctorCommand(), "--model", model.toString(), "--variant", "fp16").stream()
            .filter(l -> l.startsWith("model: "))
            .findFirst()
            .orElseThrow();
    assertTrue(fp16.contains("precision fp16"), fp16);
  }

  @Test
  void a_machine_with_driver_and_gpu_but_without_cudnn_names_the_missing_library()
      throws IOException {
    Path dev = Files.createDirectories(tmp.resolve("dev"));
    Files.createFile(dev.resolve("nvidia0"));
    Files.createFile(dev.resolve("nvidiactl")); // not a device
    Path version = tmp.resolve("version");
    Files.writeString(
        version,
        "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.14  Thu Feb 22 01:44:30 UTC 2024\n");
    Path libs = Files.createDirectories(tmp.resolve("lib"));
    for (String name : GpuProbe.CUDA_LIBRARIES) {
      Files.createFile(libs.resolve(name));
    }
    GpuProbe probe =
        new GpuProbe(
            Map.of("LD_LIBRARY_PATH", libs.toString()), dev, version, List.of(), name -> false);
    GpuProbe.Findings found = probe.probe();
    assertEquals(Optional.of("550.54.14"), found.driverVersion());
    assertEquals(List.of(dev.resolve("nvidia0")), found.devices());
    assertEquals(List.of("libcudnn.so.9"), found.missingLibraries());

    List<String> lines = run(new DoctorCommand(Map.of(), tmp, probe));
    assertEquals("NVIDIA driver: version 550.54.14", lines.get(0));
    assertEquals("GPU devices: " + dev.resolve("nvidia0"), lines.get(1));
    assertTrue(
        lines.get(2).contains("libcudart.so.12 at " + libs.resolve("libcudart.so.12")),
        lines.get(2));
    assertEquals("cuDNN 9 libraries: libcudnn.so.9 missing", lines.get(3));
    assertEquals(
        "device auto: cpu, because these CUDA 12 / cuDNN 9 libraries are missing: libcudnn.so.9"
            + " (clipsearch gpu install fetches them)",
        lines.get(7));
  }

  @Test
  void the_reason_follows_what_is_missing_first() throws IOException {
    Path libs = Files.createDirectories(tmp.resolve("lib"));
    List<GpuProbe.Library> all =
        java.util.stream.Stream.concat(
                GpuProbe.CUDA_LIBRARIES.stream(), GpuProbe.CUDNN_LIBRARIES.stream())
            .map(n -> new GpuProbe.Library(n, libs.resolve(n), true))
            .toList();
    GpuProbe.Findings everything =
        new GpuProbe.Findings(Optional.of("580.1"), List.of(Path.of("/dev/nvidia0")), all);
    assertTrue(DoctorCommand.reason(everything, null).startsWith("cuda:0, because"));
    assertTrue(
        DoctorCommand.reason(everything, "no CUDA-capable device is detected")
            .startsWith("cpu, because ONNX Runtime's CUDA provider does not start"));
    GpuProbe.Findings noDevice = new GpuProbe.Findings(Optional.of("580.1"), List.of(), all);
    assertEquals(
        "cpu, because the NVIDIA driver shows no GPU device", DoctorCommand.reason(noDevice, null));
  }
}
