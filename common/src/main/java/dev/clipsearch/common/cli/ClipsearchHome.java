package dev.clipsearch.common.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The clipsearch home folder, where downloaded models, the sample catalog and the demo's data live:
 * {@code $CLIPSEARCH_HOME}, else {@code $XDG_CACHE_HOME/clipsearch}, else {@code
 * ~/.cache/clipsearch}. A blank variable counts as unset; the result is absolute and normalized.
 *
 * <p>Resolved once by the command-line layer, from the environment it is given, and passed down as
 * a path: libraries never read the environment themselves.
 */
public final class ClipsearchHome {

  /** The variable naming the home folder explicitly. */
  public static final String HOME_VARIABLE = "CLIPSEARCH_HOME";

  /** The XDG base directory of caches; the home is its {@value #FOLDER_NAME} folder. */
  public static final String XDG_CACHE_VARIABLE = "XDG_CACHE_HOME";

  /** The home's folder name under the cache folder. */
  public static final String FOLDER_NAME = "clipsearch";

  private ClipsearchHome() {}

  /**
   * The home folder that {@code env} designates.
   *
   * @param env the process environment ({@code System.getenv()})
   * @param userHome the user's home directory ({@code user.home})
   * @throws IllegalArgumentException naming the variable when its value is not a usable path
   */
  public static Path resolve(Map<String, String> env, Path userHome) {
    String home = nonBlank(env.get(HOME_VARIABLE));
    String xdgCache = nonBlank(env.get(XDG_CACHE_VARIABLE));
    Path resolved;
    try {
      if (home != null) {
        resolved = Path.of(home);
      } else if (xdgCache != null) {
        resolved = Path.of(xdgCache, FOLDER_NAME);
      } else {
        resolved = userHome.resolve(".cache").resolve(FOLDER_NAME);
      }
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(
          HOME_VARIABLE
              + " (or "
              + XDG_CACHE_VARIABLE
              + ") is not a usable path: "
              + e.getMessage(),
          e);
    }
    return resolved.toAbsolutePath().normalize();
  }

  /**
   * The home folder of this process: {@link #resolve} on {@code System.getenv()} and the {@code
   * user.home} system property. For the command-line layer only.
   */
  public static Path ofThisProcess() {
    return resolve(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  private static String nonBlank(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
