package dev.clipsearch.sampledata.testing;

import java.nio.file.Path;

/**
 * Where tests keep the verified npm tarballs of the pinned packages: a folder of their own, never
 * the user's clipsearch cache. Surefire names one under the reactor's {@code target/} (property
 * {@value #PROPERTY}), shared by the modules of one checkout so the packages are fetched once until
 * {@code mvn clean}, and points npm's own cache there too ({@code npm_config_cache}). Run from an
 * IDE, it is {@code target/test-npm/tarballs} under the working directory.
 */
public final class TestNpmCache {

  /** The system property surefire sets to the tests' tarball folder. */
  public static final String PROPERTY = "clipsearch.test.npmTarballs";

  private TestNpmCache() {}

  /** The tests' tarball folder (created by the tarball cache when it first fetches). */
  public static Path tarballs() {
    String configured = System.getProperty(PROPERTY, "");
    return configured.isBlank()
        ? Path.of("target", "test-npm", "tarballs").toAbsolutePath()
        : Path.of(configured);
  }
}
