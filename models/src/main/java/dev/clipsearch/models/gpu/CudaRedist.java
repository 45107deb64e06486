package dev.clipsearch.models.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The CUDA 12 and cuDNN 9 libraries onnxruntime_gpu's CUDA provider needs, from the one Maven
 * Central artifact that redistributes them ({@code org.bytedeco:cuda:12.6-9.5-1.5.11}, classifier
 * {@code linux-x86_64-redist}, about 2 GB; a CUDA 13 driver runs them too). {@link #install}
 * downloads it once into {@code <clipsearch home>/gpu}, resuming a partial download, checks it
 * against the SHA-1 the repository publishes beside it, and unpacks its shared libraries into
 * {@code gpu/lib}, which the launcher puts on {@code LD_LIBRARY_PATH} before the JVM starts.
 */
public final class CudaRedist {

  /** Maven Central. */
  public static final URI MAVEN_CENTRAL = URI.create("https://repo1.maven.org/maven2/");

  /** The artifact's path in a Maven repository. */
  static final String ARTIFACT =
      "org/bytedeco/cuda/12.6-9.5-1.5.11/cuda-12.6-9.5-1.5.11-linux-x86_64-redist.jar";

  /** Written last into gpu/lib: the install is complete. */
  static final String MARKER = ".installed";

  private static final Pattern SHARED_LIBRARY =
      Pattern.compile("(?:.*/)?(lib[^/]+\\.so(?:\\.\\d+)*)");
  private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");

  private final URI repository;
  private final Path gpuDir;
  private final HttpClient http;

  /**
   * @param repository the Maven repository's base URI (ends with a slash)
   * @param gpuDir {@code <clipsearch home>/gpu}
   */
  public CudaRedist(URI repository, Path gpuDir) {
    this.repository = repository;
    this.gpuDir = gpuDir;
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
  }

  /** Where the libraries go: {@code <clipsearch home>/gpu/lib}. */
  public static Path libraryDir(Path clipsearchHome) {
    return clipsearchHome.resolve("gpu").resolve("lib");
  }

  /** Whether the libraries are unpacked in full. */
  public boolean installed() {
    return Files.exists(gpuDir.resolve("lib").resolve(MARKER));
  }

  /**
   * Downloads (or resumes), verifies and unpacks the artifact; nothing to do when installed.
   *
   * @return the number of libraries unpacked (0 when already installed)
   * @throws IOException naming the URL or the file when the download, the check or the unpacking
   *     fails; a download that fails its check is deleted so the next attempt starts afresh
   */
  public int install() throws IOException, InterruptedException {
    if (installed()) {
      return 0;
    }
    Files.createDirectories(gpuDir);
    URI jarUri = repository.resolve(ARTIFACT);
    String expected = expectedSha1(repository.resolve(ARTIFACT + ".sha1"));
    Path part =
        gpuDir.resolve(jarUri.getPath().substring(jarUri.getPath().lastIndexOf('/') + 1) + ".part");
    download(jarUri, part);
    String actual = sha1(part);
    if (!actual.equals(expected)) {
      Files.delete(part);
      throw new IOException(
          jarUri + ": SHA-1 " + actual + " does not match the published " + expected + "; deleted");
    }
    int count = unpack(part, gpuDir.resolve("lib"));
    Files.delete(part);
    return count;
  }

  private String expectedSha1(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(uri + ": HTTP " + response.statusCode());
    }
    String text = response.body().strip().toLowerCase(Locale.ROOT);
    String first = text.isEmpty() ? "" : text.split("\\s+")[0];
    if (!SHA1.matcher(first).matches()) {
      throw new IOException(uri + ": not a SHA-1: '" + text + "'");
    }
    return first;
  }

  /** Into part, resuming from its length with a Range request; a 200 answer starts over. */
  private void download(URI uri, Path part) throws IOException, InterruptedException {
    long have = Files.exists(part) ? Files.size(part) : 0;
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
    if (have > 0) {
      request.header("Range", "bytes=" + have + "-");
    }
    HttpResponse<InputStream> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    int status = response.statusCode();
    try (InputStream body = response.body()) {
      if (status == 416 && have > 0) {
        return; // already whole: the checksum decides
      }
      if (status != 200 && status != 206) {
        throw new IOException(uri + ": HTTP " + status);
      }
      boolean append = status == 206;
      try (OutputStream out =
          Files.newOutputStream(
              part,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
        body.transferTo(out);
      }
    }
  }

  /** The shared libraries of the jar, flattened into dir; the marker last. */
  static int unpack(Path jar, Path dir) throws IOException {
    Path staging = dir.resolveSibling(dir.getFileName() + ".tmp");
    deleteTree(staging);
    Files.createDirectories(staging);
    int count = 0;
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        var m = SHARED_LIBRARY.matcher(entry.getName());
        if (entry.isDirectory() || !m.matches()) {
          continue;
        }
        Files.copy(zip, staging.resolve(m.group(1)), StandardCopyOption.REPLACE_EXISTING);
        count++;
      }
    }
    if (count == 0) {
      deleteTree(staging);
      throw new IOException(jar + ": no shared libraries inside");
    }
    Files.writeString(staging.resolve(MARKER), ARTIFACT + "\n", StandardCharsets.UTF_8);
    deleteTree(dir);
    Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
    return count;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  static String sha1(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
