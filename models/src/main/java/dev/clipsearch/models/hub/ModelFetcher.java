package dev.clipsearch.models.hub;

import dev.clipsearch.common.io.AtomicFiles;
import dev.clipsearch.models.hub.InstallReceipt.FileEntry;
import dev.clipsearch.models.hub.ModelFetchException.Reason;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Downloads a {@linkplain ModelRef known model} and installs it atomically.
 *
 * <p>Files are downloaded into a staging directory next to the target ({@code
 * <cache>/.staging/<name>-<random>/} for the cache), each one verified (see {@link
 * FileDownloader}), and the model directory appears by a single atomic rename only when every file
 * is verified: a reader of the cache never sees a half-installed model. An interrupted run leaves
 * its verified files and the {@code .part} of the file in progress in the staging directory ({@link
 * InstallStage}); the next run for the same model, revision and variant picks them up and resumes.
 * A lock file per model keeps concurrent fetches of the same model (threads or processes) from
 * interfering: the second one waits, then finds the model installed.
 *
 * <p>Thread-safe; one instance holds one HTTP client. Close it to release the client.
 */
public final class ModelFetcher implements AutoCloseable {

  /** The staging directory created next to a {@link #fetchTo} target. */
  static final String STAGING_NEXT_TO_TARGET = ".clipsearch-staging";

  private final HubConfig config;
  private final HttpClient client;
  private final FileDownloader downloader;

  /** A fetcher that downloads from {@code config.endpoint()}. */
  public ModelFetcher(HubConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER) // followed by hand, see FileDownloader
            .connectTimeout(config.connectTimeout())
            .proxy(ProxySelector.getDefault())
            .build();
    this.downloader = new FileDownloader(client, config, userAgent());
  }

  /** The URL of one file: {@code <endpoint>/<repository>/resolve/<revision>/<path>}. */
  public static URI fileUrl(URI endpoint, String repository, String revision, String path) {
    String base = endpoint.toString().replaceAll("/+$", "");
    String rev = URLEncoder.encode(revision, StandardCharsets.UTF_8);
    return URI.create(base + "/" + repository + "/resolve/" + rev + "/" + path);
  }

  /**
   * Downloads {@code model} into {@code cache} ({@link ModelCache#directoryFor}), unless it is
   * already there.
   *
   * @throws ModelFetchException with a message for the user when anything fails; nothing is
   *     installed then, and what was downloaded stays staged for the next run
   */
  public FetchResult fetch(ModelRef model, ModelCache cache, FetchListener listener)
      throws ModelFetchException {
    return install(model, cache.directoryFor(model), cache.stagingDir(), false, listener);
  }

  /**
   * Downloads {@code model} into {@code directory}, which must not exist, be empty, or already hold
   * this very model. Staging happens in {@code .clipsearch-staging} next to it.
   */
  public FetchResult fetchTo(ModelRef model, Path directory, FetchListener listener)
      throws ModelFetchException {
    Path target = directory.toAbsolutePath().normalize();
    Path parent = target.getParent();
    if (parent == null) {
      throw new ModelFetchException(
          Reason.TARGET_EXISTS, "cannot install a model as the root directory " + target);
    }
    return install(model, target, parent.resolve(STAGING_NEXT_TO_TARGET), true, listener);
  }

  @Override
  public void close() {
    client.close();
  }

  private FetchResult install(
      ModelRef ref, Path target, Path stagingRoot, boolean tidyStagingRoot, FetchListener listener)
      throws ModelFetchException {
    String name = target.getFileName().toString();
    Path lockFile = stagingRoot.resolve(name + ".lock");
    try {
      Files.createDirectories(stagingRoot);
    } catch (IOException e) {
      throw localFailure("cannot create the staging directory " + stagingRoot, e);
    }
    InstallLock lock;
    try {
      lock = InstallLock.acquire(lockFile, () -> listener.waitingForLock(lockFile));
    } catch (IOException e) {
      throw localFailure("cannot lock " + lockFile, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelFetchException(
          Reason.INTERRUPTED, "interrupted while waiting for " + lockFile);
    }
    FetchResult result;
    try {
      Optional<FetchResult> existing = alreadyInstalled(ref, target);
      if (existing.isPresent()) {
        result = existing.get();
      } else {
        result =
            downloadAndInstall(
                ref, target, InstallStage.open(stagingRoot, name, key(ref)), listener);
      }
    } catch (ModelFetchException e) {
      throw e;
    } catch (IOException e) {
      throw localFailure("cannot stage " + ref.installName() + " in " + stagingRoot, e);
    } finally {
      try {
        lock.close();
      } catch (IOException e) {
        // the lock goes away with the process anyway
      }
    }
    if (tidyStagingRoot) {
      // Only after success, when nothing is left to resume; a racing fetch then finds the target.
      try {
        Files.deleteIfExists(lockFile);
        Files.deleteIfExists(stagingRoot);
      } catch (DirectoryNotEmptyException e) {
        // other downloads are staged there
      } catch (IOException e) {
        // leaving an empty staging directory behind is harmless
      }
    }
    return result;
  }

  private FetchResult downloadAndInstall(
      ModelRef ref, Path target, InstallStage stage, FetchListener listener) throws IOException {
    List<RemoteFile> files = ref.model().files(ref.variant());
    checkFreeSpace(stage, files, target);
    long transferred = 0;
    for (RemoteFile file : files) {
      Path dest = stage.dir.resolve(file.path());
      Optional<FileEntry> done = stage.completed(file.path());
      if (done.isPresent() && Files.isRegularFile(dest) && Files.size(dest) == done.get().size()) {
        listener.fileFinished(file.path(), done.get().size(), true);
        continue;
      }
      Files.createDirectories(dest.getParent());
      Path part = dest.resolveSibling(dest.getFileName() + ".part");
      RemoteFile.Origin origin = file.originIn(ref.model());
      URI url = fileUrl(config.endpoint(), origin.repository(), origin.revision(), origin.path());
      FileDownloader.Downloaded got =
          downloader.download(url, file, part, origin.repository(), listener);
      AtomicFiles.replace(part, dest);
      if (file.origin().isPresent()) { // the receipt's commit is the model's own repository's
        got =
            new FileDownloader.Downloaded(
                got.size(), got.sha256(), got.verifiedBy(), Optional.empty(), got.transferred());
      }
      stage.record(new FileEntry(file.path(), got.size(), got.sha256(), got.verifiedBy()), got);
      transferred += got.transferred();
      listener.fileFinished(file.path(), got.size(), false);
    }
    InstallReceipt receipt =
        new InstallReceipt(
            target.getFileName().toString(),
            ref.variant().id(),
            ref.model().repository(),
            ref.model().revision(),
            stage.state.commit(),
            config.endpoint().toString(),
            Instant.now().toString(),
            stage.state.files());
    receipt.write(stage.dir);
    Files.createDirectories(target.getParent());
    Files.deleteIfExists(target); // an empty directory, checked by alreadyInstalled
    try {
      AtomicFiles.renameAtomically(stage.dir, target);
    } catch (AtomicMoveNotSupportedException e) {
      throw localFailure(
          "cannot move the staged model into "
              + target
              + " in one step (is it on another file system than "
              + stage.dir.getParent()
              + "?)",
          e);
    }
    stage.forget();
    return new FetchResult(target, ref, false, transferred, receipt);
  }

  /** The existing target if it holds exactly this model; an error if it holds anything else. */
  private static Optional<FetchResult> alreadyInstalled(ModelRef ref, Path target)
      throws IOException {
    if (!Files.exists(target)) {
      return Optional.empty();
    }
    if (!Files.isDirectory(target)) {
      throw new ModelFetchException(
          Reason.TARGET_EXISTS, target + " exists and is not a directory; choose another target");
    }
    Optional<InstallReceipt> receipt = InstallReceipt.read(target);
    if (receipt.isEmpty()) {
      try (Stream<Path> entries = Files.list(target)) {
        if (entries.findAny().isEmpty()) {
          return Optional.empty(); // an empty directory: install into it
        }
      }
      throw new ModelFetchException(
          Reason.TARGET_EXISTS,
          target
              + " already exists and was not installed by clipsearch models fetch; remove it or"
              + " choose another directory");
    }
    InstallReceipt r = receipt.get();
    if (!r.repository().equals(ref.model().repository())
        || !r.revision().equals(ref.model().revision())
        || !r.variant().equals(ref.variant().id())) {
      throw new ModelFetchException(
          Reason.TARGET_EXISTS,
          target
              + " already holds "
              + r.repository()
              + "@"
              + r.revision()
              + " ("
              + r.variant()
              + "), not "
              + ref.model().repository()
              + "@"
              + ref.model().revision()
              + " ("
              + ref.variant().id()
              + "); remove it to fetch again");
    }
    for (FileEntry file : r.files()) {
      Path path = target.resolve(file.path());
      if (!Files.isRegularFile(path) || Files.size(path) != file.size()) {
        throw new ModelFetchException(
            Reason.TARGET_EXISTS,
            target
                + " is damaged: "
                + file.path()
                + " is missing or has the wrong size; remove the directory to fetch again");
      }
    }
    return Optional.of(new FetchResult(target, ref, true, 0, r));
  }

  private static void checkFreeSpace(InstallStage stage, List<RemoteFile> files, Path target)
      throws IOException {
    long needed = 0;
    for (RemoteFile file : files) {
      if (file.size().isEmpty() || stage.completed(file.path()).isPresent()) {
        continue;
      }
      Path part = stage.dir.resolve(file.path() + ".part");
      long have = Files.exists(part) ? Files.size(part) : 0;
      needed += Math.max(0, file.size().getAsLong() - have);
    }
    long free = Files.getFileStore(stage.dir).getUsableSpace();
    if (needed > free) {
      throw new ModelFetchException(
          Reason.NO_SPACE,
          String.format(
              "not enough disk space to download into %s: %.1f MB more are needed, %.1f MB are free",
              target.getParent(), needed / 1e6, free / 1e6));
    }
  }

  private static String key(ModelRef ref) {
    return ref.model().repository() + "@" + ref.model().revision() + "#" + ref.variant().id();
  }

  private static ModelFetchException localFailure(String what, Exception cause) {
    String detail = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    return new ModelFetchException(Reason.LOCAL_IO, what + ": " + detail, cause);
  }

  private static String userAgent() {
    String version = ModelFetcher.class.getPackage().getImplementationVersion();
    return "clipsearch/"
        + (version == null ? "dev" : version)
        + " java/"
        + Runtime.version().feature();
  }
}
