package dev.clipsearch.common.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir Path dir;

  @Test
  void write_creates_the_folder_and_the_file_and_leaves_no_temporary_file() throws IOException {
    Path target = dir.resolve("a/b/catalog.jsonl");

    AtomicFiles.writeString(target, "{\"id\":\"p\"}\n");

    assertEquals("{\"id\":\"p\"}\n", Files.readString(target, StandardCharsets.UTF_8));
    assertEquals(List.of(target), list(target.getParent()));
  }

  @Test
  void write_replaces_an_existing_file() throws IOException {
    Path target = Files.writeString(dir.resolve("state.json"), "old, and longer than the new");

    AtomicFiles.writeBytes(target, new byte[] {1, 2, 3});

    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
  }

  @Test
  void a_failing_writer_leaves_the_old_file_as_it_was_and_no_temporary_file() throws IOException {
    Path target = Files.writeString(dir.resolve("report.json"), "complete");
    IOException failure = new IOException("disk full");

    IOException thrown =
        assertThrows(
            IOException.class,
            () ->
                AtomicFiles.write(
                    target,
                    out -> {
                      out.write("half of a new fi".getBytes(StandardCharsets.UTF_8));
                      throw failure;
                    }));

    assertSame(failure, thrown);
    assertEquals("complete", Files.readString(target));
    assertEquals(List.of(target), list(dir));
  }

  @Test
  void content_that_closes_its_stream_still_lands_complete() throws IOException {
    Path target = dir.resolve("closed.txt");
    byte[] big = new byte[200_000]; // more than the buffer, so part is written before close
    Arrays.fill(big, (byte) 'x');

    AtomicFiles.write(
        target,
        out -> {
          out.write(big);
          out.close(); // Jackson's writeValue(OutputStream) does this
        });

    assertArrayEquals(big, Files.readAllBytes(target));
  }

  @Test
  void replace_moves_a_finished_file_over_the_target() throws IOException {
    Path part = Files.writeString(dir.resolve("model.onnx.part"), "new");
    Path target = Files.writeString(dir.resolve("model.onnx"), "old");

    AtomicFiles.replace(part, target);

    assertEquals("new", Files.readString(target));
    assertFalse(Files.exists(part));
  }

  @Test
  void replace_of_a_missing_source_fails_and_keeps_the_target() throws IOException {
    Path target = Files.writeString(dir.resolve("model.onnx"), "old");

    assertThrows(
        NoSuchFileException.class, () -> AtomicFiles.replace(dir.resolve("gone.part"), target));
    assertEquals("old", Files.readString(target));
  }

  @Test
  void rename_atomically_moves_a_whole_folder() throws IOException {
    Path stage = Files.createDirectories(dir.resolve(".staging/m"));
    Files.writeString(stage.resolve("a.onnx"), "a");
    Path target = dir.resolve("models/m");
    Files.createDirectories(target.getParent());

    AtomicFiles.renameAtomically(stage, target);

    assertEquals("a", Files.readString(target.resolve("a.onnx")));
    assertFalse(Files.exists(stage));
  }

  /** A reader polling the file while it is rewritten sees one whole version or the other. */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void a_concurrent_reader_never_sees_a_partial_file() throws Exception {
    Path target = dir.resolve("catalog.bin");
    int length = 100_000;
    AtomicFiles.writeBytes(target, filled(length, 'a'));
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicReference<String> torn = new AtomicReference<>();
    Thread reader =
        new Thread(
            () -> {
              while (writing.get() && torn.get() == null) {
                try {
                  byte[] seen = Files.readAllBytes(target);
                  if (seen.length != length || !uniform(seen)) {
                    torn.set("read " + seen.length + " bytes, not one whole version");
                  }
                } catch (IOException e) {
                  torn.set("read failed: " + e);
                }
              }
            });
    reader.start();
    try {
      for (int i = 0; i < 200 && torn.get() == null; i++) {
        AtomicFiles.writeBytes(target, filled(length, (char) ('a' + i % 26)));
      }
    } finally {
      writing.set(false);
      reader.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertEquals(null, torn.get());
    assertTrue(uniform(Files.readAllBytes(target)));
  }

  private static byte[] filled(int length, char c) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) c);
    return bytes;
  }

  private static boolean uniform(byte[] bytes) {
    for (byte b : bytes) {
      if (b != bytes[0]) {
        return false;
      }
    }
    return true;
  }

  private static List<Path> list(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.sorted().toList();
    }
  }
}
