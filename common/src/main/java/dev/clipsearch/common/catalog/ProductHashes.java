package dev.clipsearch.common.catalog;

import dev.clipsearch.common.io.Digests;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * The hashes that make incremental runs cheap and exact.
 *
 * <ul>
 *   <li>The <b>sync key</b> covers the canonical product JSON and, per image, its reference and
 *       cheap fingerprint (file size and modification time; for URLs the URL itself). It is
 *       computed without reading any image, so an unchanged product costs one lookup and a few
 *       {@code stat} calls.
 *   <li>The <b>content hash</b> covers the JSON and the SHA-256 of every indexed image's bytes: the
 *       exact identity of what was indexed, stored for audits and for the searcher.
 *   <li>Per image, the SHA-256 of the bytes lets a changed product reuse the stored vector of an
 *       image whose bytes did not change (a touched file, a renamed file, a reordered list).
 * </ul>
 *
 * <p>Products written by other means (the search server's admin upserts) use the same functions, so
 * that every product in an index is hashed one way.
 */
public final class ProductHashes {

  private static final String SYNC_VERSION = "clipsearch-sync-1";
  private static final String CONTENT_VERSION = "clipsearch-content-1";

  private ProductHashes() {}

  /** One image's reference and fingerprint, as the sync key sees it. */
  public record ImageKey(String ref, String fingerprint) {}

  /** The sync key of a product: its canonical JSON and each image's reference and fingerprint. */
  public static byte[] syncKey(String json, List<ImageKey> images) {
    MessageDigest digest = Digests.sha256();
    update(digest, SYNC_VERSION);
    update(digest, json);
    for (ImageKey image : images) {
      update(digest, image.ref());
      update(digest, image.fingerprint());
    }
    return digest.digest();
  }

  /** The content hash of a product: its canonical JSON and the SHA-256 of each image's bytes. */
  public static String contentHash(String json, List<String> imageSha256s) {
    MessageDigest digest = Digests.sha256();
    update(digest, CONTENT_VERSION);
    update(digest, json);
    for (String sha : imageSha256s) {
      update(digest, sha);
    }
    return Digests.hex(digest.digest());
  }

  /** SHA-256 of {@code bytes}, lower-case hex. */
  public static String sha256Hex(byte[] bytes) {
    return Digests.sha256Hex(bytes);
  }

  /** Length-prefixed, so that ("ab", "c") and ("a", "bc") hash differently. */
  private static void update(MessageDigest digest, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    int n = bytes.length;
    digest.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    digest.update(bytes);
  }
}
