package dev.clipsearch.models.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.common.net.RetryPolicy;
import dev.clipsearch.models.hub.FakeHub.Request;
import dev.clipsearch.models.hub.ModelFetchException.Reason;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Downloads against {@link FakeHub}: install, resume, verification, failures. */
@Tag("network")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ModelFetcherTest {

  private static final long SEED = 20261128L;
  private static final String VISION = "onnx/vision_model.onnx";
  private static final String TEXT = "onnx/text_model.onnx";
  private static final String CONFIG = "config.json";
  private static final String TOKENIZER = "tokenizer.json";

  @TempDir Path tmp;
  private FakeHub hub;
  private ModelCache cache;
  private Map<String, byte[]> content;

  @BeforeEach
  void startHub() throws IOException {
    hub = new FakeHub("fake-org/test-clip");
    content =
        Map.of(
            CONFIG, FakeHub.randomBytes(SEED, 5_000),
            TOKENIZER, FakeHub.randomBytes(SEED + 1, 40_000),
            VISION, FakeHub.randomBytes(SEED + 2, 1_200_000),
            TEXT, FakeHub.randomBytes(SEED + 3, 700_000));
    hub.add(CONFIG, content.get(CONFIG), false);
    hub.add(TOKENIZER, content.get(TOKENIZER), false);
    hub.add(VISION, content.get(VISION), true);
    hub.add(TEXT, content.get(TEXT), true);
    cache = new ModelCache(tmp.resolve("home"), new ModelRegistry(List.of(model(true))));
  }

  @AfterEach
  void stopHub() {
    hub.close();
  }

  private KnownModel model(boolean pinLfs) {
    return hub.model("test-clip", pinLfs);
  }

  private ModelRef ref() {
    KnownModel model = cache.registry().defaultModel();
    return new ModelRef(model, ModelVariant.FP32);
  }

  private HubConfig config(int attempts) {
    return HubConfig.defaults()
        .withEndpoint(hub.endpoint())
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(20))
        .withRetry(new RetryPolicy(attempts, Duration.ofMillis(1), Duration.ofMillis(4)));
  }

  private FetchResult fetch(HubConfig config, FetchListener listener) throws ModelFetchException {
    try (ModelFetcher fetcher = new ModelFetcher(config)) {
      return fetcher.fetch(ref(), cache, listener);
    }
  }

  private FetchResult fetch() throws ModelFetchException {
    return fetch(config(3), FetchListener.NONE);
  }

  private void assertInstalledAndIntact(Path dir) throws IOException {
    for (Map.Entry<String, byte[]> file : content.entrySet()) {
      assertArrayEquals(
          file.getValue(),
          Files.readAllBytes(dir.resolve(file.getKey())),
          file.getKey() + " differs from what the hub serves (seed " + SEED + ")");
    }
    assertEquals(List.of(), partFiles(), "no .part file may be left behind");
  }

  private List<Path> partFiles() throws IOException {
    try (Stream<Path> walk = Files.walk(cache.root())) {
      return walk.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
    }
  }

  private Path stagedPart(String path) throws IOException {
    try (Stream<Path> walk = Files.walk(cache.stagingDir())) {
      return walk.filter(p -> p.toString().endsWith(path + ".part"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no staged .part for " + path));
    }
  }

  private List<Request> cdnRequestsFor(String path) {
    String sha = hub.file(path).sha256();
    return hub.requestsFor("/cdn/" + sha);
  }

  /** Records every listener call as a line, in order. */
  private static final class Events implements FetchListener {
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void waitingForLock(Path lockFile) {
      lines.add("wait");
    }

    @Override
    public void fileStarted(String path, long totalBytes, long resumedFrom) {
      lines.add("start " + path + " " + totalBytes + " " + resumedFrom);
    }

    @Override
    public void fileFinished(String path, long bytes, boolean alreadyPresent) {
      lines.add("done " + path + " " + bytes + (alreadyPresent ? " present" : ""));
    }

    @Override
    public void retrying(
        String path, int failedAttempt, int maxAttempts, Duration wait, String problem) {
      lines.add("retry " + path + " " + failedAttempt + "/" + maxAttempts);
    }

    @Override
    public void restarting(String path, String why) {
      lines.add("restart " + path);
    }

    long count(String prefix) {
      synchronized (lines) {
        return lines.stream().filter(l -> l.startsWith(prefix)).count();
      }
    }
  }

  @Test
  void good_download_installs_every_file_verified_in_one_step() throws Exception {
    Path target = cache.directoryFor(ref());
    List<Boolean> targetVisibleMidway = Collections.synchronizedList(new ArrayList<>());
    FetchListener watcher =
        new FetchListener() {
          @Override
          public void fileFinished(String path, long bytes, boolean alreadyPresent) {
            targetVisibleMidway.add(Files.exists(target));
          }
        };

    FetchResult result = fetch(config(3), watcher);

    assertEquals(target, result.directory());
    assertFalse(result.alreadyInstalled());
    assertEquals(List.of(false, false, false, false), targetVisibleMidway);
    assertInstalledAndIntact(target);
    InstallReceipt receipt = InstallReceipt.read(target).orElseThrow();
    assertEquals(FakeHub.COMMIT, receipt.commit());
    assertEquals("fp32", receipt.variant());
    for (InstallReceipt.FileEntry entry : receipt.files()) {
      String expected = entry.path().startsWith("onnx/") ? "pinned-sha256" : "hub-git-blob-sha1";
      assertEquals(expected, entry.verifiedBy(), entry.path());
      assertEquals(hub.file(entry.path()).sha256(), entry.sha256(), entry.path());
    }
    long total = content.values().stream().mapToLong(b -> b.length).sum();
    assertEquals(total, result.bytesDownloaded());
    try (Stream<Path> staged = Files.list(cache.stagingDir())) {
      assertEquals(List.of(), staged.filter(Files::isDirectory).toList(), "staging must be empty");
    }
  }

  @Test
  void a_file_of_a_second_repository_is_fetched_from_there_into_its_own_folder() throws Exception {
    // the hub answers the second repository's URLs with this one's files (a same-host redirect,
    // as for a renamed repository): the request names the second repository and its revision
    hub.renamedFrom("fake-org/image-tower");
    KnownModel one = model(true);
    RemoteFile vision =
        one.files(ModelVariant.FP32).stream()
            .filter(f -> f.path().equals(VISION))
            .findFirst()
            .orElseThrow()
            .fromRepository("fake-org/image-tower", FakeHub.COMMIT, "image");
    KnownModel two =
        new KnownModel(
            "two-repos",
            List.of(),
            "a text tower with another repository's image tower",
            one.repository(),
            one.revision(),
            one.sharedFiles(),
            Map.of(ModelVariant.FP32, List.of(RemoteFile.pinned(TEXT, 700_000, sha(TEXT)), vision)),
            ModelVariant.FP32);
    cache = new ModelCache(tmp.resolve("home"), new ModelRegistry(List.of(two)));

    FetchResult result = fetch();

    Path dir = result.directory();
    assertArrayEquals(content.get(VISION), Files.readAllBytes(dir.resolve("image/" + VISION)));
    assertArrayEquals(content.get(TEXT), Files.readAllBytes(dir.resolve(TEXT)));
    assertFalse(Files.exists(dir.resolve(VISION)), "the image tower lands in image/ only");
    assertEquals(
        1,
        hub.requestsFor("/fake-org/image-tower/resolve/" + FakeHub.COMMIT + "/" + VISION).size(),
        hub.requests().toString());
    InstallReceipt receipt = InstallReceipt.read(dir).orElseThrow();
    assertEquals("fake-org/test-clip", receipt.repository());
    assertTrue(
        receipt.files().stream().anyMatch(f -> f.path().equals("image/" + VISION)),
        receipt.files().toString());
  }

  private String sha(String path) {
    return hub.file(path).sha256();
  }

  @Test
  void lfs_files_follow_the_redirect_to_the_cdn_and_the_token_goes_to_the_hub_only()
      throws Exception {
    HubConfig withToken = config(3).withToken(Optional.of("hf_secret"));

    fetch(withToken, FetchListener.NONE);

    List<Request> hubCalls = hub.requests().stream().filter(r -> r.origin().equals("hub")).toList();
    List<Request> cdnCalls = hub.requests().stream().filter(r -> r.origin().equals("cdn")).toList();
    assertEquals(4, hubCalls.size(), hubCalls.toString());
    assertEquals(2, cdnCalls.size(), "the two LFS files come from the CDN: " + cdnCalls);
    assertTrue(
        hubCalls.stream().allMatch(r -> r.authorization().equals(Optional.of("Bearer hf_secret"))));
    assertTrue(cdnCalls.stream().allMatch(r -> r.authorization().isEmpty()), cdnCalls.toString());
    assertEquals(2, hubCalls.stream().filter(r -> r.status() == 302).count());
  }

  @Test
  void interrupted_download_is_resumed_with_a_range_request_by_the_next_run() throws Exception {
    hub.file(VISION).cutAfter(300_000, 1);

    ModelFetchException failure =
        assertThrows(ModelFetchException.class, () -> fetch(config(1), FetchListener.NONE));

    assertEquals(Reason.TRANSFER_FAILED, failure.reason());
    assertTrue(failure.getMessage().contains(VISION), failure.getMessage());
    assertTrue(failure.getMessage().contains("resumes"), failure.getMessage());
    assertFalse(Files.exists(cache.directoryFor(ref())), "nothing may be installed");
    assertEquals(300_000, Files.size(stagedPart(VISION)));

    Events events = new Events();
    FetchResult result = fetch(config(1), events);

    assertEquals(
        Optional.of("bytes=300000-"),
        cdnRequestsFor(VISION).getLast().range(),
        hub.requests().toString());
    assertEquals(206, cdnRequestsFor(VISION).getLast().status());
    assertInstalledAndIntact(result.directory());
    assertEquals(
        content.get(VISION).length - 300_000 + content.get(TEXT).length, result.bytesDownloaded());
    assertTrue(
        events.lines.contains("start " + VISION + " 1200000 300000"), events.lines.toString());
    assertTrue(events.lines.contains("done " + CONFIG + " 5000 present"), events.lines.toString());
  }

  @Test
  void a_dropped_connection_is_retried_within_the_run_from_where_it_stopped() throws Exception {
    hub.file(TEXT).cutAfter(100_000, 2);
    Events events = new Events();

    FetchResult result = fetch(config(3), events);

    List<Optional<String>> ranges = cdnRequestsFor(TEXT).stream().map(Request::range).toList();
    assertEquals(
        List.of(Optional.empty(), Optional.of("bytes=100000-"), Optional.of("bytes=200000-")),
        ranges);
    assertEquals(2, events.count("retry " + TEXT), events.lines.toString());
    assertInstalledAndIntact(result.directory());
  }

  @Test
  void a_stalled_body_times_out_and_the_retry_resumes_it() throws Exception {
    hub.file(VISION).stallAfter(50_000, 1);
    HubConfig quickTimeout = config(2).withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300));

    FetchResult result = fetch(quickTimeout, FetchListener.NONE);

    assertEquals(Optional.of("bytes=50000-"), cdnRequestsFor(VISION).getLast().range());
    assertInstalledAndIntact(result.directory());
  }

  @Test
  void server_errors_are_retried_and_then_succeed() throws Exception {
    hub.file(CONFIG).fail(503, 2);
    Events events = new Events();

    FetchResult result = fetch(config(3), events);

    assertEquals(2, events.count("retry " + CONFIG), events.lines.toString());
    assertInstalledAndIntact(result.directory());
  }

  @Test
  void persistent_server_errors_give_up_after_the_configured_attempts() {
    hub.file(CONFIG).fail(502, 10);

    ModelFetchException failure = assertThrows(ModelFetchException.class, this::fetch);

    assertEquals(Reason.HTTP_STATUS, failure.reason());
    assertTrue(failure.getMessage().contains("HTTP 502"), failure.getMessage());
    assertTrue(failure.getMessage().contains("gave up after 3 attempts"), failure.getMessage());
    assertEquals(3, hub.requestsFor(CONFIG).size());
  }

  @Test
  void a_missing_file_fails_at_once_naming_repository_and_path() throws Exception {
    KnownModel withExtra =
        new KnownModel(
            "test-clip",
            List.of(),
            "fake",
            "fake-org/test-clip",
            FakeHub.COMMIT,
            List.of(RemoteFile.unpinned("missing.json")),
            Map.of(ModelVariant.FP32, List.of()),
            ModelVariant.FP32);
    cache = new ModelCache(tmp.resolve("home"), new ModelRegistry(List.of(withExtra)));

    ModelFetchException failure = assertThrows(ModelFetchException.class, this::fetch);

    assertEquals(Reason.NOT_FOUND, failure.reason());
    assertTrue(
        failure.getMessage().contains("fake-org/test-clip/missing.json"), failure.getMessage());
    assertTrue(failure.getMessage().contains("Entry not found"), failure.getMessage());
    assertEquals(1, hub.requestsFor("missing.json").size(), "a 404 is not retried");
  }

  @Test
  void corrupted_bytes_are_refused_nothing_is_installed_and_the_retry_starts_fresh()
      throws Exception {
    hub.file(VISION).corrupt(true);

    ModelFetchException failure = assertThrows(ModelFetchException.class, this::fetch);

    assertEquals(Reason.CORRUPT, failure.reason());
    assertTrue(failure.getMessage().contains(VISION + " is corrupt"), failure.getMessage());
    assertTrue(failure.getMessage().contains(hub.file(VISION).sha256()), failure.getMessage());
    assertFalse(Files.exists(cache.directoryFor(ref())), "nothing may be installed");
    assertEquals(List.of(), partFiles(), "the bad .part must be deleted");

    hub.file(VISION).corrupt(false);
    FetchResult result = fetch();

    assertEquals(Optional.empty(), cdnRequestsFor(VISION).getLast().range(), "fresh, not resumed");
    assertInstalledAndIntact(result.directory());
  }

  @Test
  void without_pins_an_lfs_file_is_checked_against_the_sha256_the_hub_reports() throws Exception {
    cache = new ModelCache(tmp.resolve("home"), new ModelRegistry(List.of(model(false))));
    hub.file(TEXT).corrupt(true);

    ModelFetchException failure = assertThrows(ModelFetchException.class, this::fetch);

    assertEquals(Reason.CORRUPT, failure.reason());
    assertTrue(failure.getMessage().contains(TEXT), failure.getMessage());

    hub.file(TEXT).corrupt(false);
    FetchResult result = fetch();
    InstallReceipt.FileEntry text =
        result.receipt().files().stream()
            .filter(f -> f.path().equals(TEXT))
            .findFirst()
            .orElseThrow();
    assertEquals("hub-lfs-sha256", text.verifiedBy());
  }

  @Test
  void a_file_kept_in_git_is_checked_against_its_git_blob_id() {
    hub.file(TOKENIZER).corrupt(true);

    ModelFetchException failure = assertThrows(ModelFetchException.class, this::fetch);

    assertEquals(Reason.CORRUPT, failure.reason());
    assertTrue(failure.getMessage().contains("git blob SHA-1"), failure.getMessage());
    assertTrue(
        failure.getMessage().contains(hub.file(TOKENIZER).gitBlobSha1()), failure.getMessage());
  }

  @Test
  void a_pin_that_disagrees_with_the_hub_is_refused_before_downloading() throws Exception {
    String wrong = "0".repeat(64);
    KnownModel pinnedWrong =
        new KnownModel(
            "test-clip",
            List.of(),
            "fake",
            "fake-org/test-clip",
            FakeHub.COMMIT,
            List.of(),
            Map.of(ModelVariant.FP32, List.of(RemoteFile.pinned(VISION, 1_200_000, wrong))),
            ModelVariant.FP32);
    cache = new ModelCache(tmp.resolve("home"), new ModelRegistry(List.of(pinnedWrong)));

    ModelFetchException failure = assertThrows(ModelFetchException.class, this::fetch);

    assertEquals(Reason.CORRUPT, failure.reason());
    assertTrue(failure.getMessage().contains("pins " + wrong), failure.getMessage());
    assertEquals(List.of(), cdnRequestsFor(VISION), "the CDN must not be asked for the file");
  }

  @Test
  void digests_are_read_from_the_hub_even_after_a_same_host_redirect() throws Exception {
    hub.renamedFrom("old-org/test-clip");
    KnownModel fresh = model(false);
    KnownModel renamed =
        new KnownModel(
            fresh.name(),
            List.of(),
            fresh.description(),
            "old-org/test-clip",
            fresh.revision(),
            fresh.sharedFiles(),
            fresh.variantFiles(),
            fresh.defaultVariant());
    cache = new ModelCache(tmp.resolve("home"), new ModelRegistry(List.of(renamed)));

    FetchResult result = fetch();

    assertInstalledAndIntact(result.directory());
    assertTrue(hub.requests().stream().anyMatch(r -> r.status() == 307), hub.requests().toString());
    for (InstallReceipt.FileEntry entry : result.receipt().files()) {
      String expected = entry.path().startsWith("onnx/") ? "hub-lfs-sha256" : "hub-git-blob-sha1";
      assertEquals(expected, entry.verifiedBy(), entry.path());
    }
  }

  @Test
  void a_body_longer_than_the_pinned_size_is_cut_off_and_discarded() throws Exception {
    KnownModel tooSmallPin =
        new KnownModel(
            "test-clip",
            List.of(),
            "fake",
            "fake-org/test-clip",
            FakeHub.COMMIT,
            List.of(RemoteFile.pinned(CONFIG, 1_000, hub.file(CONFIG).sha256())),
            Map.of(ModelVariant.FP32, List.of()),
            ModelVariant.FP32);
    cache = new ModelCache(tmp.resolve("home"), new ModelRegistry(List.of(tooSmallPin)));

    ModelFetchException failure = assertThrows(ModelFetchException.class, this::fetch);

    assertEquals(Reason.CORRUPT, failure.reason());
    assertTrue(
        failure.getMessage().contains("more than the expected 1000 bytes"), failure.getMessage());
    assertEquals(List.of(), partFiles(), "the oversized .part must be deleted");
  }

  @Test
  void an_unreachable_host_gives_a_clear_message_naming_it() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    HubConfig nowhere = config(2).withEndpoint(URI.create("http://127.0.0.1:" + closedPort));

    ModelFetchException failure =
        assertThrows(ModelFetchException.class, () -> fetch(nowhere, FetchListener.NONE));

    assertEquals(Reason.UNREACHABLE, failure.reason());
    assertTrue(
        failure.getMessage().startsWith("cannot reach 127.0.0.1:" + closedPort),
        failure.getMessage());
    assertTrue(failure.getMessage().contains("gave up after 2 attempts"), failure.getMessage());
    assertFalse(Files.exists(cache.directoryFor(ref())));
  }

  @Test
  void a_server_that_ignores_range_makes_the_file_restart_cleanly() throws Exception {
    hub.file(VISION).cutAfter(400_000, 1);
    assertThrows(ModelFetchException.class, () -> fetch(config(1), FetchListener.NONE));
    hub.file(VISION).ignoreRange(true);
    Events events = new Events();

    FetchResult result = fetch(config(1), events);

    Request last = cdnRequestsFor(VISION).getLast();
    assertEquals(Optional.of("bytes=400000-"), last.range());
    assertEquals(200, last.status());
    assertEquals(1, events.count("restart " + VISION), events.lines.toString());
    assertInstalledAndIntact(result.directory());
  }

  @Test
  void a_complete_part_answered_416_is_verified_without_downloading_again() throws Exception {
    hub.file(CONFIG).cutAfter(1_000, 1);
    assertThrows(ModelFetchException.class, () -> fetch(config(1), FetchListener.NONE));
    Files.write(stagedPart(CONFIG), content.get(CONFIG)); // as if the last bytes had arrived

    FetchResult result = fetch(config(1), FetchListener.NONE);

    Request last = hub.requestsFor(CONFIG).getLast();
    assertEquals(Optional.of("bytes=5000-"), last.range());
    assertEquals(416, last.status());
    assertInstalledAndIntact(result.directory());
  }

  @Test
  void a_part_longer_than_the_file_is_discarded_and_downloaded_again() throws Exception {
    hub.file(CONFIG).cutAfter(1_000, 1);
    assertThrows(ModelFetchException.class, () -> fetch(config(1), FetchListener.NONE));
    Files.write(stagedPart(CONFIG), FakeHub.randomBytes(SEED + 9, 9_000));

    FetchResult result = fetch(config(1), FetchListener.NONE);

    List<Optional<String>> ranges = hub.requestsFor(CONFIG).stream().map(Request::range).toList();
    assertEquals(Optional.of("bytes=9000-"), ranges.get(ranges.size() - 2));
    assertEquals(Optional.empty(), ranges.getLast());
    assertInstalledAndIntact(result.directory());
  }

  @Test
  void an_installed_model_is_not_downloaded_again() throws Exception {
    fetch();
    int before = hub.requests().size();

    FetchResult again = fetch();

    assertTrue(again.alreadyInstalled());
    assertEquals(0, again.bytesDownloaded());
    assertEquals(before, hub.requests().size());
  }

  @Test
  void concurrent_fetches_of_one_model_download_each_file_once() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<FetchResult>> results = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        results.add(
            pool.submit(
                () -> {
                  assertTrue(go.await(60, TimeUnit.SECONDS), "the start signal");
                  return fetch();
                }));
      }
      go.countDown();
      FetchResult a = results.get(0).get(60, TimeUnit.SECONDS);
      FetchResult b = results.get(1).get(60, TimeUnit.SECONDS);

      assertEquals(a.directory(), b.directory());
      assertEquals(1, (a.alreadyInstalled() ? 1 : 0) + (b.alreadyInstalled() ? 1 : 0));
      for (String path : content.keySet()) {
        assertEquals(
            1, hub.requestsFor(path).size(), path + " must be requested from the hub once");
      }
      assertInstalledAndIntact(a.directory());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void fetch_to_a_directory_installs_there_and_leaves_no_staging_behind() throws Exception {
    Path target = tmp.resolve("elsewhere").resolve("my-model");
    Files.createDirectories(target.getParent());

    FetchResult result;
    try (ModelFetcher fetcher = new ModelFetcher(config(3))) {
      result = fetcher.fetchTo(ref(), target, FetchListener.NONE);
    }

    assertEquals(target, result.directory());
    for (Map.Entry<String, byte[]> file : content.entrySet()) {
      assertArrayEquals(file.getValue(), Files.readAllBytes(target.resolve(file.getKey())));
    }
    try (Stream<Path> siblings = Files.list(target.getParent())) {
      assertEquals(List.of(target), siblings.toList());
    }
  }

  @Test
  void fetch_to_a_directory_holding_something_else_is_refused() throws Exception {
    Path target = tmp.resolve("occupied");
    Files.createDirectories(target);
    Files.writeString(target.resolve("notes.txt"), "mine");

    ModelFetchException failure;
    try (ModelFetcher fetcher = new ModelFetcher(config(3))) {
      failure =
          assertThrows(
              ModelFetchException.class, () -> fetcher.fetchTo(ref(), target, FetchListener.NONE));
    }

    assertEquals(Reason.TARGET_EXISTS, failure.reason());
    assertTrue(failure.getMessage().contains(target.toString()), failure.getMessage());
    assertEquals("mine", Files.readString(target.resolve("notes.txt")));
    assertEquals(List.of(), hub.requests(), "nothing may be downloaded");
  }

  @Test
  void file_urls_encode_the_revision_and_keep_the_path() {
    assertEquals(
        URI.create("https://hf.example/org/repo/resolve/refs%2Fpr%2F1/onnx/model.onnx"),
        ModelFetcher.fileUrl(
            URI.create("https://hf.example/"), "org/repo", "refs/pr/1", "onnx/model.onnx"));
  }
}
