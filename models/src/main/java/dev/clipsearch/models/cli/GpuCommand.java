package dev.clipsearch.models.cli;

import dev.clipsearch.models.gpu.CudaRedist;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clipsearch gpu install}: fetches the CUDA 12 and cuDNN 9 libraries ONNX Runtime's CUDA
 * provider needs into the clipsearch home, for machines with only the NVIDIA driver (see {@link
 * CudaRedist}). The launcher then puts them on the library path.
 */
@Command(
    name = "gpu",
    mixinStandardHelpOptions = true,
    description = "GPU support: fetch the CUDA and cuDNN libraries (about 2 GB, once).",
    subcommands = {GpuCommand.Install.class})
public final class GpuCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code clipsearch gpu install}. */
  @Command(
      name = "install",
      mixinStandardHelpOptions = true,
      description = {
        "Download org.bytedeco:cuda:12.6-9.5-1.5.11 (linux-x86_64-redist, about 2 GB; CUDA 12.6 and"
            + " cuDNN 9.5) from Maven Central, check its SHA-1 and unpack its libraries into"
            + " <clipsearch home>/gpu/lib. An interrupted download resumes."
      })
  static final class Install implements Callable<Integer> {

    private final Map<String, String> env;
    private final Path userHome;

    @Spec CommandSpec spec;

    @Option(
        names = "--repository",
        paramLabel = "URL",
        defaultValue = "https://repo1.maven.org/maven2/",
        description = "The Maven repository (default: ${DEFAULT-VALUE}).")
    URI repository;

    Install() {
      this(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    Install(Map<String, String> env, Path userHome) {
      this.env = Map.copyOf(env);
      this.userHome = userHome;
    }

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      Path home;
      try {
        home = ModelsConfig.fromEnvironment(env, userHome).home();
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      String base = repository.toString();
      CudaRedist redist =
          new CudaRedist(URI.create(base.endsWith("/") ? base : base + "/"), home.resolve("gpu"));
      Path lib = CudaRedist.libraryDir(home);
      try {
        int count = redist.install();
        out.println(
            count == 0
                ? "already installed in " + lib
                : count + " libraries installed in " + lib + "; the clipsearch launcher uses them");
        out.flush();
        return 0;
      } catch (IOException e) {
        spec.commandLine().getErr().println("clipsearch gpu install: " + e.getMessage());
        return 1;
      }
    }
  }
}
