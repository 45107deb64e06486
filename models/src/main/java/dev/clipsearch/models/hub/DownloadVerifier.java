package dev.clipsearch.models.hub;

import dev.clipsearch.common.io.Digests;
import dev.clipsearch.models.hub.FileDownloader.Downloaded;
import dev.clipsearch.models.hub.ModelFetchException.Reason;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Checks a finished {@code .part} file: it must match the pinned size and SHA-256, else the Hub's
 * LFS SHA-256, else the Hub's git blob id; a mismatch deletes the part so the next run starts
 * fresh.
 */
final class DownloadVerifier {

  private DownloadVerifier() {}

  /** Checks the finished part against the pinned values, else against what the hub reported. */
  static Downloaded verify(RemoteFile file, Path part, HubMetadata hub, long transferred)
      throws ModelFetchException {
    boolean needGitSha1 = file.sha256().isEmpty() && hub.lfsSha256().isEmpty();
    if (needGitSha1 && hub.gitBlobSha1().isEmpty()) {
      FileDownloader.deleteQuietly(part);
      throw new ModelFetchException(
          Reason.NO_CHECKSUM,
          "cannot verify "
              + file.path()
              + ": no SHA-256 is pinned for it and the hub reported no checksum; nothing was"
              + " installed");
    }
    Digests.FileDigest actual;
    try {
      actual = Digests.ofFile(part, needGitSha1);
    } catch (IOException e) {
      throw new ModelFetchException(
          Reason.LOCAL_IO, "cannot read back " + part + ": " + e.getMessage(), e);
    }
    OptionalLong expectedSize = file.size().isPresent() ? file.size() : hub.size();
    if (expectedSize.isPresent() && actual.size() != expectedSize.getAsLong()) {
      FileDownloader.deleteQuietly(part);
      throw corrupt(
          file, "it has " + actual.size() + " bytes, expected " + expectedSize.getAsLong());
    }
    String verifiedBy;
    String expected;
    String got;
    if (file.sha256().isPresent()) {
      verifiedBy = "pinned-sha256";
      expected = file.sha256().get();
      got = actual.sha256();
    } else if (hub.lfsSha256().isPresent()) {
      verifiedBy = "hub-lfs-sha256";
      expected = hub.lfsSha256().get();
      got = actual.sha256();
    } else {
      verifiedBy = "hub-git-blob-sha1";
      expected = hub.gitBlobSha1().get();
      got = actual.gitBlobSha1();
    }
    if (!expected.equals(got)) {
      FileDownloader.deleteQuietly(part);
      String algorithm = verifiedBy.equals("hub-git-blob-sha1") ? "git blob SHA-1" : "SHA-256";
      throw corrupt(file, "its " + algorithm + " is " + got + ", expected " + expected);
    }
    return new Downloaded(actual.size(), actual.sha256(), verifiedBy, hub.commit(), transferred);
  }

  private static ModelFetchException corrupt(RemoteFile file, String detail) {
    return new ModelFetchException(
        Reason.CORRUPT,
        "downloaded "
            + file.path()
            + " is corrupt: "
            + detail
            + ". The bad download was deleted and nothing was installed; run the fetch again to"
            + " download it afresh");
  }
}
