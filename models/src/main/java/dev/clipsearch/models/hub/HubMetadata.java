package dev.clipsearch.models.hub;

import dev.clipsearch.models.hub.ModelFetchException.Reason;
import java.net.http.HttpHeaders;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * What the Hub said about a file in its own answers, before any redirect to a CDN: its {@code
 * X-Linked-Etag} (the LFS SHA-256) or {@code ETag} (the git blob SHA-1), {@code X-Linked-Size} and
 * {@code X-Repo-Commit}. A CDN's ETag is not a digest, so only the Hub's headers are read.
 */
record HubMetadata(
    Optional<String> lfsSha256,
    Optional<String> gitBlobSha1,
    OptionalLong size,
    Optional<String> commit) {

  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern HEX40 = Pattern.compile("[0-9a-f]{40}");

  static final HubMetadata NONE =
      new HubMetadata(Optional.empty(), Optional.empty(), OptionalLong.empty(), Optional.empty());

  static HubMetadata from(HttpHeaders headers) {
    Optional<String> linked = headers.firstValue("X-Linked-Etag").map(HubMetadata::bareEtag);
    Optional<String> etag = headers.firstValue("ETag").map(HubMetadata::bareEtag);
    Optional<String> sha256 =
        linked
            .filter(e -> HEX64.matcher(e).matches())
            .or(() -> etag.filter(e -> HEX64.matcher(e).matches()));
    Optional<String> sha1 =
        linked.isPresent() ? Optional.empty() : etag.filter(e -> HEX40.matcher(e).matches());
    OptionalLong size = OptionalLong.empty();
    Optional<String> linkedSize = headers.firstValue("X-Linked-Size");
    if (linkedSize.isPresent()) {
      try {
        size = OptionalLong.of(Long.parseLong(linkedSize.get().strip()));
      } catch (NumberFormatException ignored) {
        // an unparseable size is no size
      }
    }
    Optional<String> commit =
        headers.firstValue("X-Repo-Commit").map(String::strip).filter(c -> !c.isEmpty());
    return new HubMetadata(sha256, sha1, size, commit);
  }

  /** What is already known wins: the first hub answer that names a digest is the authority. */
  HubMetadata merge(HubMetadata fresh) {
    return new HubMetadata(
        lfsSha256.or(fresh::lfsSha256),
        gitBlobSha1.or(fresh::gitBlobSha1),
        size.isPresent() ? size : fresh.size(),
        commit.or(fresh::commit));
  }

  /** Refuses a file whose pinned SHA-256 is not the one the hub reports for it. */
  void checkPin(RemoteFile file, String repository) throws ModelFetchException {
    if (file.sha256().isPresent()
        && lfsSha256.isPresent()
        && !file.sha256().get().equals(lfsSha256.get())) {
      throw new ModelFetchException(
          Reason.CORRUPT,
          "the hub reports SHA-256 "
              + lfsSha256.get()
              + " for "
              + repository
              + "/"
              + file.path()
              + ", but clipsearch pins "
              + file.sha256().get()
              + "; refusing to download a file that is not the pinned one");
    }
  }

  /** An ETag without weak prefix and quotes, lower-cased. */
  static String bareEtag(String etag) {
    String e = etag.strip();
    if (e.startsWith("W/")) {
      e = e.substring(2);
    }
    if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
      e = e.substring(1, e.length() - 1);
    }
    return e.toLowerCase(Locale.ROOT);
  }
}
