package dev.clipsearch.common.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Digests against published reference values (FIPS 180 "abc", git's blob id of "hello\n"). */
class DigestsTest {

  @TempDir Path dir;

  @Test
  void sha256_of_text_matches_the_fips_example() {
    assertEquals(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        Digests.sha256Hex("abc"));
    assertEquals(
        Digests.sha256Hex("abc"), Digests.sha256Hex("abc".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void a_file_digest_has_its_size_sha256_and_the_git_blob_id_git_computes() throws Exception {
    Path file = Files.writeString(dir.resolve("hello.txt"), "hello\n");

    Digests.FileDigest withGit = Digests.ofFile(file, true);
    assertEquals(6, withGit.size());
    assertEquals(Digests.sha256Hex("hello\n"), withGit.sha256());
    // `echo hello | git hash-object --stdin`
    assertEquals("ce013625030ba8dba906f756967f9e9ca394464a", withGit.gitBlobSha1());

    assertNull(Digests.ofFile(file, false).gitBlobSha1());
  }
}
