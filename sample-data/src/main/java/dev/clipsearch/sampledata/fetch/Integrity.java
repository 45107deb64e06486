package dev.clipsearch.sampledata.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * A SHA-512 Subresource Integrity value as the npm registry records it in {@code dist.integrity}:
 * {@code sha512-} followed by the base64 digest of the tarball.
 */
public final class Integrity {

  private static final String PREFIX = "sha512-";
  private static final int SHA512_BYTES = 64;

  private final byte[] digest;

  private Integrity(byte[] digest) {
    this.digest = digest;
  }

  /**
   * Parses {@code sha512-<base64>}.
   *
   * @throws IllegalArgumentException for another algorithm, bad base64 or a digest of the wrong
   *     length
   */
  public static Integrity parse(String sri) {
    if (sri == null || !sri.startsWith(PREFIX)) {
      throw new IllegalArgumentException(
          "not a sha512 integrity value (expected 'sha512-<base64>'): " + sri);
    }
    byte[] digest;
    try {
      digest = Base64.getDecoder().decode(sri.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("integrity value is not valid base64: " + sri, e);
    }
    if (digest.length != SHA512_BYTES) {
      throw new IllegalArgumentException(
          "a sha512 digest has " + SHA512_BYTES + " bytes, got " + digest.length + ": " + sri);
    }
    return new Integrity(digest);
  }

  /** The integrity of a file's content. */
  public static Integrity of(Path file) throws IOException {
    MessageDigest sha512 = sha512();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha512.update(buffer, 0, n);
      }
    }
    return new Integrity(sha512.digest());
  }

  /** Whether {@code file}'s content has this digest. */
  public boolean matches(Path file) throws IOException {
    return MessageDigest.isEqual(digest, of(file).digest);
  }

  /**
   * Refuses a file whose content does not have this digest.
   *
   * @throws IntegrityException naming the file, the expected and the actual value
   */
  public void verify(Path file) {
    Integrity actual;
    try {
      actual = of(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " to verify its integrity", e);
    }
    if (!MessageDigest.isEqual(digest, actual.digest)) {
      throw new IntegrityException(file, this, actual);
    }
  }

  private static MessageDigest sha512() {
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-512", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Integrity other && Arrays.equals(digest, other.digest);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(digest);
  }

  /** The SRI form, {@code sha512-<base64>}. */
  @Override
  public String toString() {
    return PREFIX + Base64.getEncoder().encodeToString(digest);
  }
}
