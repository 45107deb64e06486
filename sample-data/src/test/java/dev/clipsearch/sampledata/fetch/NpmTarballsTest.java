package dev.clipsearch.sampledata.fetch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The cache and the npm process handling, with a stand-in npm script instead of the registry. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "the stand-in npm is a shell script")
class NpmTarballsTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private Path cache;
  private Path published;
  private NpmPackage pkg;

  @BeforeEach
  void publish() throws Exception {
    cache = dir.resolve("cache");
    published =
        TestArchives.tarGz(
            dir.resolve("published.tgz"), Map.of("package/package.json", "{}".getBytes(UTF_8)));
    pkg = new NpmPackage("@demo/emoji-pics", "1.2.3", Integrity.of(published));
  }

  @Test
  void uses_a_verified_cached_tarball_without_running_npm() throws Exception {
    Files.createDirectories(cache);
    Files.copy(published, cache.resolve(pkg.tarballFileName()));
    NpmTarballs tarballs = new NpmTarballs(cache, dir.resolve("no-such-npm").toString(), TIMEOUT);

    assertEquals(cache.resolve("demo-emoji-pics-1.2.3.tgz"), tarballs.fetch(pkg));
  }

  @Test
  void packs_the_exact_version_into_the_cache_and_leaves_no_staging_behind() throws Exception {
    Path npm = fakeNpm(deliver(published));
    NpmTarballs tarballs = new NpmTarballs(cache, npm.toString(), TIMEOUT);

    Path fetched = tarballs.fetch(pkg);

    assertEquals(cache.resolve(pkg.tarballFileName()), fetched);
    assertArrayEquals(Files.readAllBytes(published), Files.readAllBytes(fetched));
    assertEquals(List.of(fetched), cacheContents());
  }

  @Test
  void refuses_a_registry_tarball_that_is_not_the_pinned_one() throws Exception {
    Path other =
        TestArchives.tarGz(dir.resolve("other.tgz"), Map.of("package/evil.js", new byte[] {1}));
    NpmTarballs tarballs = new NpmTarballs(cache, fakeNpm(deliver(other)).toString(), TIMEOUT);

    assertThrows(IntegrityException.class, () -> tarballs.fetch(pkg));
    assertEquals(List.of(), cacheContents());
  }

  @Test
  void replaces_a_corrupt_cached_tarball() throws Exception {
    Files.createDirectories(cache);
    Files.writeString(cache.resolve(pkg.tarballFileName()), "truncated");
    NpmTarballs tarballs = new NpmTarballs(cache, fakeNpm(deliver(published)).toString(), TIMEOUT);

    Path fetched = tarballs.fetch(pkg);

    assertArrayEquals(Files.readAllBytes(published), Files.readAllBytes(fetched));
  }

  @Test
  void explains_what_to_do_when_npm_is_missing() {
    String missing = dir.resolve("bin/npm").toString();
    NpmTarballs tarballs = new NpmTarballs(cache, missing, TIMEOUT);

    NpmFetchException e = assertThrows(NpmFetchException.class, () -> tarballs.fetch(pkg));

    String m = e.getMessage();
    assertTrue(m.contains(missing), m);
    assertTrue(m.contains("install"), m);
    assertTrue(m.contains(pkg.tarballFileName()), m);
    assertTrue(m.contains(cache.toString()), m);
  }

  @Test
  void passes_on_what_npm_said_when_the_registry_cannot_be_reached() throws Exception {
    Path npm =
        fakeNpm(
            "echo 'npm error code ENOTFOUND' >&2\n"
                + "echo 'npm error request to https://registry.npmjs.org failed' >&2\n"
                + "exit 1\n");
    NpmTarballs tarballs = new NpmTarballs(cache, npm.toString(), TIMEOUT);

    NpmFetchException e = assertThrows(NpmFetchException.class, () -> tarballs.fetch(pkg));

    String m = e.getMessage();
    assertTrue(m.contains("npm pack " + pkg.spec()), m);
    assertTrue(m.contains("exit code 1"), m);
    assertTrue(m.contains("ENOTFOUND"), m);
    assertTrue(m.contains("registry"), m);
    assertEquals(List.of(), cacheContents());
  }

  /** A script body that acts as `npm pack <spec>` for exactly this package. */
  private String deliver(Path tarball) {
    return "[ \"$1\" = pack ] && [ \"$2\" = '"
        + pkg.spec()
        + "' ] || { echo \"unexpected: $*\" >&2; exit 3; }\n"
        + "cp '"
        + tarball
        + "' ./"
        + pkg.tarballFileName()
        + "\n"
        + "echo "
        + pkg.tarballFileName()
        + "\n";
  }

  private Path fakeNpm(String body) throws Exception {
    Path script = dir.resolve("npm-" + Math.abs(body.hashCode()));
    Files.writeString(script, "#!/bin/sh\n" + body, UTF_8);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private List<Path> cacheContents() throws Exception {
    if (!Files.exists(cache)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(cache)) {
      return files.toList();
    }
  }

  @Test
  void a_missing_cache_folder_is_not_created_until_needed() {
    new NpmTarballs(cache, "npm", TIMEOUT);
    assertFalse(Files.exists(cache));
  }
}
