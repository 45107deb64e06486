package dev.clipsearch.models.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content digests of a downloaded file, computed in one pass over it. */
final class Digests {

  private Digests() {}

  /**
   * The SHA-256 of {@code file} and, when asked, its git blob id: SHA-1 of {@code "blob <size>\0"}
   * followed by the content, which is what the Hugging Face Hub reports as the {@code ETag} of a
   * file kept in git rather than LFS.
   */
  static Computed of(Path file, boolean withGitBlobSha1) throws IOException {
    MessageDigest sha256 = digest("SHA-256");
    MessageDigest sha1 = withGitBlobSha1 ? digest("SHA-1") : null;
    long size = Files.size(file);
    if (sha1 != null) {
      sha1.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
    }
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha256.update(buffer, 0, n);
        if (sha1 != null) {
          sha1.update(buffer, 0, n);
        }
      }
    }
    HexFormat hex = HexFormat.of();
    return new Computed(
        size, hex.formatHex(sha256.digest()), sha1 == null ? null : hex.formatHex(sha1.digest()));
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required of every Java platform", e);
    }
  }

  /** Size, SHA-256 and (when computed) git blob SHA-1 of a file, lower-case hex. */
  record Computed(long size, String sha256, String gitBlobSha1) {}
}
