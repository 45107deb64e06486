package dev.clipsearch.sampledata.fetch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeTarGzTest {

  @TempDir Path dir;

  @Test
  void extracts_only_the_entries_given_a_destination() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("package/assets/1f34e.webp", "apple".getBytes(UTF_8));
    entries.put("package/assets/1f600.webp", "face".getBytes(UTF_8));
    entries.put("package/README.md", "readme".getBytes(UTF_8));
    Path tarball = TestArchives.tarGz(dir.resolve("p.tgz"), entries);
    Path out = dir.resolve("out");

    int written =
        SafeTarGz.extract(
            tarball,
            out,
            name -> name.equals("package/assets/1f34e.webp") ? "images/fluent/1f34e.webp" : null);

    assertEquals(1, written);
    assertArrayEquals(
        "apple".getBytes(UTF_8), Files.readAllBytes(out.resolve("images/fluent/1f34e.webp")));
    assertFalse(Files.exists(out.resolve("images/fluent/1f600.webp")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "package/../../escaped.txt",
        "../escaped.txt",
        "/tmp/escaped.txt",
        "C:/escaped.txt",
        "package\\..\\escaped.txt"
      })
  void refuses_an_archive_with_an_entry_that_could_escape(String hostile) throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("package/ok.txt", "ok".getBytes(UTF_8));
    entries.put(hostile, "pwned".getBytes(UTF_8));
    Path tarball = TestArchives.tarGz(dir.resolve("evil.tgz"), entries);
    Path out = Files.createDirectories(dir.resolve("a/b/out"));

    UnsafeArchiveException e =
        assertThrows(
            UnsafeArchiveException.class, () -> SafeTarGz.extract(tarball, out, name -> name));

    assertTrue(e.getMessage().contains(hostile), e.getMessage());
    assertTrue(e.getMessage().contains(tarball.toString()), e.getMessage());
    assertFalse(Files.exists(dir.resolve("a/escaped.txt")));
    assertFalse(Files.exists(dir.resolve("a/b/escaped.txt")));
  }

  @Test
  void refuses_a_destination_outside_the_output_folder() throws Exception {
    Path tarball =
        TestArchives.tarGz(dir.resolve("p.tgz"), Map.of("package/x.png", new byte[] {1}));
    Path out = dir.resolve("out");

    assertThrows(
        UnsafeArchiveException.class,
        () -> SafeTarGz.extract(tarball, out, name -> "images/../../x.png"));
    assertFalse(Files.exists(dir.resolve("x.png")));
  }

  @Test
  void passes_over_symbolic_links() throws Exception {
    Path tarball =
        TestArchives.tarGzWithSymlink(
            dir.resolve("link.tgz"), "package/passwd", "/etc/passwd", "package/ok.txt");
    List<String> seen = new ArrayList<>();

    SafeTarGz.forEachFile(tarball, (name, size, content) -> seen.add(name));

    assertEquals(List.of("package/ok.txt"), seen);
  }

  @Test
  void a_file_that_is_not_gzip_is_reported_with_its_path() throws Exception {
    Path notGzip = Files.writeString(dir.resolve("broken.tgz"), "not a tarball");

    UncheckedIOException e =
        assertThrows(
            UncheckedIOException.class,
            () -> SafeTarGz.forEachFile(notGzip, (name, size, content) -> {}));
    assertTrue(e.getMessage().contains(notGzip.toString()), e.getMessage());
  }
}
