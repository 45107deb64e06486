package dev.clipsearch.models.hub;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a fetch installed, written as {@value #FILE_NAME} inside the model directory: where the
 * files came from and the SHA-256 of each, so a model directory says what it is.
 *
 * @param model install name ({@code clip-vit-base-patch32-int8})
 * @param variant variant id ({@code int8})
 * @param repository Hugging Face repository id
 * @param revision the revision asked for (a commit hash or a branch)
 * @param commit the commit the hub resolved the revision to ({@code X-Repo-Commit}), or null when
 *     it did not say
 * @param endpoint the hub the files came from
 * @param fetchedAt ISO-8601 instant of the install
 * @param files every downloaded file
 */
public record InstallReceipt(
    String model,
    String variant,
    String repository,
    String revision,
    String commit,
    String endpoint,
    String fetchedAt,
    List<FileEntry> files) {

  /** The receipt's file name inside a model directory. */
  public static final String FILE_NAME = "download-receipt.json";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * One installed file.
   *
   * @param path path inside the model directory (and the repository)
   * @param size bytes
   * @param sha256 SHA-256 of the content, computed after download
   * @param verifiedBy what the content was checked against: {@code pinned-sha256}, {@code
   *     hub-lfs-sha256} (the hub's {@code X-Linked-Etag}) or {@code hub-git-blob-sha1} (the hub's
   *     {@code ETag} of a file kept in git)
   */
  public record FileEntry(String path, long size, String sha256, String verifiedBy) {}

  public InstallReceipt {
    files = List.copyOf(files);
  }

  /** Sum of the file sizes. */
  public long totalBytes() {
    return files.stream().mapToLong(FileEntry::size).sum();
  }

  /** Reads the receipt of {@code modelDir}, if it has one. */
  public static Optional<InstallReceipt> read(Path modelDir) throws IOException {
    Path file = modelDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), InstallReceipt.class));
    } catch (IOException e) {
      throw new IOException("unreadable download receipt " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes this receipt into {@code modelDir}. */
  void write(Path modelDir) throws IOException {
    JSON.writeValue(modelDir.resolve(FILE_NAME).toFile(), this);
  }
}
