package dev.clipsearch.common.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 (and git blob SHA-1) digests of text, bytes and files, as lower-case hex or raw bytes.
 * One place for the algorithm names and the "every JDK has it" error handling.
 */
public final class Digests {

  private static final HexFormat HEX = HexFormat.of();

  private Digests() {}

  /** A fresh SHA-256 digest, for callers that feed it piece by piece. */
  public static MessageDigest sha256() {
    return digest("SHA-256");
  }

  /** SHA-256 of {@code bytes}. */
  public static byte[] sha256(byte[] bytes) {
    return sha256().digest(bytes);
  }

  /** SHA-256 of {@code text} in UTF-8. */
  public static byte[] sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /** SHA-256 of {@code bytes}, lower-case hex. */
  public static String sha256Hex(byte[] bytes) {
    return HEX.formatHex(sha256(bytes));
  }

  /** SHA-256 of {@code text} in UTF-8, lower-case hex. */
  public static String sha256Hex(String text) {
    return HEX.formatHex(sha256(text));
  }

  /** Lower-case hex of {@code bytes}. */
  public static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /**
   * The size and SHA-256 of {@code file} and, when asked, its git blob id, in one pass over it. The
   * git blob id is the SHA-1 of {@code "blob <size>\0"} followed by the content: what the Hugging
   * Face Hub reports as the {@code ETag} of a file kept in git rather than LFS.
   */
  public static FileDigest ofFile(Path file, boolean withGitBlobSha1) throws IOException {
    MessageDigest sha256 = sha256();
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
    return new FileDigest(
        size, HEX.formatHex(sha256.digest()), sha1 == null ? null : HEX.formatHex(sha1.digest()));
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required of every Java platform", e);
    }
  }

  /**
   * Size, SHA-256 and (when computed) git blob SHA-1 of a file, lower-case hex.
   *
   * @param size the file's length in bytes
   * @param sha256 its SHA-256
   * @param gitBlobSha1 its git blob id, or null when not asked for
   */
  public record FileDigest(long size, String sha256, String gitBlobSha1) {}
}
