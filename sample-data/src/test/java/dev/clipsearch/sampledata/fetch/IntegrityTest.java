package dev.clipsearch.sampledata.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IntegrityTest {

  @TempDir Path dir;

  @Test
  void sri_string_round_trips() {
    String pinned = NpmPins.EMOJIBASE_DATA.integrity().toString();
    assertEquals(pinned, Integrity.parse(pinned).toString());
    assertTrue(pinned.startsWith("sha512-"));
  }

  @Test
  void accepts_a_file_whose_sha512_matches_the_npm_sri_form() throws Exception {
    Path tarball = TestArchives.tarGz(dir.resolve("a.tgz"), Map.of("package/x", new byte[] {1, 2}));
    String sri =
        "sha512-"
            + Base64.getEncoder()
                .encodeToString(
                    MessageDigest.getInstance("SHA-512").digest(Files.readAllBytes(tarball)));

    Integrity.parse(sri).verify(tarball);
    assertTrue(Integrity.parse(sri).matches(tarball));
  }

  @Test
  void refuses_a_tampered_tarball_naming_file_and_both_digests() throws Exception {
    Path tarball = TestArchives.tarGz(dir.resolve("a.tgz"), Map.of("package/x", new byte[] {1, 2}));
    Integrity pinned = Integrity.of(tarball);
    byte[] bytes = Files.readAllBytes(tarball);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(tarball, bytes);
    Integrity actual = Integrity.of(tarball);

    IntegrityException e = assertThrows(IntegrityException.class, () -> pinned.verify(tarball));

    assertEquals(tarball, e.file());
    assertTrue(e.getMessage().contains(tarball.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(pinned.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(actual.toString()), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=",
        "sha512-not base64!",
        "sha512-AAAA",
        "",
        "Yvgb5AWoHViHV/gq1qr5ZAarcBip+B27/ZLRsUJkbgAEaLlZ/fof9g882LTpmEpyhBNEC0m2SEmItljHsTygjA=="
      })
  void rejects_anything_but_a_sha512_sri(String sri) {
    assertThrows(IllegalArgumentException.class, () -> Integrity.parse(sri));
  }

  @Test
  void npm_tarball_names_flatten_scoped_packages() {
    assertEquals("lobehub-fluent-emoji-3d-1.1.0.tgz", NpmPins.FLUENT_EMOJI_3D.tarballFileName());
    assertEquals("emojibase-data-17.0.0.tgz", NpmPins.EMOJIBASE_DATA.tarballFileName());
    assertEquals("@lobehub/fluent-emoji-3d@1.1.0", NpmPins.FLUENT_EMOJI_3D.spec());
  }
}
