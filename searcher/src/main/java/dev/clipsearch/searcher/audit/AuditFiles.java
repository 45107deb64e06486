package dev.clipsearch.searcher.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.clipsearch.common.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes an {@link AuditReport} as {@code audit.json} and {@code audit.html} into a folder. */
public final class AuditFiles {

  public static final String JSON_FILE = "audit.json";
  public static final String HTML_FILE = "audit.html";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private AuditFiles() {}

  /**
   * Writes both files (each atomically), creating {@code dir} when needed.
   *
   * @throws IOException naming the file that could not be written
   */
  public static void write(AuditReport report, Path dir) throws IOException {
    Files.createDirectories(dir);
    AtomicFiles.writeString(dir.resolve(JSON_FILE), JSON.writeValueAsString(report) + "\n");
    AtomicFiles.writeString(dir.resolve(HTML_FILE), AuditHtml.render(report));
  }

  /** Reads an {@code audit.json} back (tests, tools). */
  public static AuditReport readJson(Path file) throws IOException {
    return JSON.readValue(file.toFile(), AuditReport.class);
  }
}
