package dev.clipsearch.models.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clipsearch gpu install}'s download against a local Maven repository serving a small fake
 * artifact: verified, resumed, refused when the checksum differs, unpacked to gpu/lib.
 */
@Timeout(60)
class CudaRedistTest {

  @TempDir Path tmp;

  private HttpServer server;
  private byte[] jar;
  private String sha1;
  private final List<String> ranges = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    jar = fakeJar();
    sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(jar));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/maven2/" + CudaRedist.ARTIFACT + ".sha1",
        exchange -> {
          byte[] body = (sha1 + "  cuda.jar\n").getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.createContext(
        "/maven2/" + CudaRedist.ARTIFACT,
        exchange -> {
          String range = exchange.getRequestHeaders().getFirst("Range");
          ranges.add(String.valueOf(range));
          int from = range == null ? 0 : Integer.parseInt(range.replaceAll("\\D", ""));
          int status = range == null ? 200 : 206;
          if (range != null) {
            exchange
                .getResponseHeaders()
                .add("Content-Range", "bytes " + from + "-" + (jar.length - 1) + "/" + jar.length);
          }
          exchange.sendResponseHeaders(status, jar.length - from);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(jar, from, jar.length - from);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI repository() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/maven2/");
  }

  private static byte[] fakeJar() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (String name :
          List.of(
              "META-INF/MANIFEST.MF",
              "org/bytedeco/cuda/linux-x86_64/libcudart.so.12",
              "org/bytedeco/cuda/linux-x86_64/libcudnn.so.9",
              "org/bytedeco/cuda/linux-x86_64/README.txt")) {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(("contents of " + name).repeat(500).getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  @Test
  void installs_the_libraries_once_and_says_so() throws Exception {
    Path gpu = tmp.resolve("home/gpu");
    CudaRedist redist = new CudaRedist(repository(), gpu);
    assertFalse(redist.installed());
    assertEquals(2, redist.install());
    assertTrue(redist.installed());
    Path lib = CudaRedist.libraryDir(tmp.resolve("home"));
    assertArrayEquals(
        ("contents of org/bytedeco/cuda/linux-x86_64/libcudart.so.12")
            .repeat(500)
            .getBytes(StandardCharsets.UTF_8),
        Files.readAllBytes(lib.resolve("libcudart.so.12")));
    assertTrue(Files.exists(lib.resolve("libcudnn.so.9")));
    assertFalse(Files.exists(lib.resolve("README.txt")));
    try (var left = Files.list(gpu)) {
      assertEquals(List.of(lib), left.toList(), "the downloaded jar is removed");
    }
    assertEquals(0, redist.install());
    assertEquals(1, ranges.size(), "the second install downloads nothing");
  }

  @Test
  void an_interrupted_download_resumes_where_it_stopped() throws Exception {
    Path gpu = Files.createDirectories(tmp.resolve("gpu"));
    String file = CudaRedist.ARTIFACT.substring(CudaRedist.ARTIFACT.lastIndexOf('/') + 1);
    Files.write(gpu.resolve(file + ".part"), java.util.Arrays.copyOf(jar, jar.length / 2));
    assertEquals(2, new CudaRedist(repository(), gpu).install());
    assertEquals(List.of("bytes=" + jar.length / 2 + "-"), ranges);
  }

  @Test
  void a_download_that_fails_its_checksum_is_deleted_and_nothing_is_installed() {
    sha1 = "0".repeat(40);
    Path gpu = tmp.resolve("gpu");
    CudaRedist redist = new CudaRedist(repository(), gpu);
    IOException e = assertThrows(IOException.class, redist::install);
    assertTrue(e.getMessage().contains("does not match the published " + sha1), e.getMessage());
    assertFalse(redist.installed());
    assertFalse(Files.exists(gpu.resolve("lib")));
  }
}
