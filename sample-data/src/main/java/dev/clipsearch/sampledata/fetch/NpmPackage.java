package dev.clipsearch.sampledata.fetch;

import java.util.Objects;

/**
 * One exact package version on the npm registry and the integrity of its tarball, as {@code npm
 * view <name>@<version> dist.integrity} prints it.
 *
 * @param name package name, possibly scoped ({@code @scope/name})
 * @param version exact version
 * @param integrity the tarball's SHA-512
 */
public record NpmPackage(String name, String version, Integrity integrity) {

  public NpmPackage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(integrity, "integrity");
    if (!name.matches("(@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*")) {
      throw new IllegalArgumentException("not an npm package name: " + name);
    }
    if (!version.matches("[0-9A-Za-z.+-]+")) {
      throw new IllegalArgumentException("not an exact version: " + version);
    }
  }

  /** A pinned package from its name, version and {@code sha512-...} integrity string. */
  public static NpmPackage of(String name, String version, String integrity) {
    return new NpmPackage(name, version, Integrity.parse(integrity));
  }

  /** {@code name@version}, as {@code npm pack} takes it. */
  public String spec() {
    return name + "@" + version;
  }

  /**
   * The file name {@code npm pack} gives the tarball: {@code @scope/name} becomes {@code
   * scope-name}.
   */
  public String tarballFileName() {
    String flat = name.startsWith("@") ? name.substring(1).replace('/', '-') : name;
    return flat + "-" + version + ".tgz";
  }
}
