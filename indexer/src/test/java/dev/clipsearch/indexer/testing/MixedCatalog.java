package dev.clipsearch.indexer.testing;

import dev.clipsearch.models.testing.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A catalog of good products (one or two generated photos each) mixed with products whose only
 * image is broken, empty, not an image, missing, or at a URL nothing answers: what a real catalog
 * looks like, for the commands' end-to-end tests on any store.
 *
 * @param catalog the JSON Lines file
 * @param good the ids of the products that must be indexed
 * @param bad the ids of the products that must be skipped, each with its image's failure reason
 */
public record MixedCatalog(Path catalog, List<String> good, Map<String, String> bad) {

  /** Writes {@code goodProducts} good products and five bad ones into {@code dir}. */
  public static MixedCatalog write(Path dir, int goodProducts) {
    CatalogFixture fixture = new CatalogFixture(dir);
    List<String> good = new ArrayList<>();
    for (int i = 0; i < goodProducts; i++) {
      String id = String.format("g%02d", i);
      fixture.add(id, 1 + i % 2, 1000 + i);
      good.add(id);
    }
    Map<String, String> bad = new LinkedHashMap<>();
    byte[] png = TestImages.png(7, 32, 32);
    fixture.addWithImages(
        "truncated", fixture.writeFile("img/truncated.png", Arrays.copyOf(png, png.length / 2)));
    bad.put("truncated", "corrupt_image");
    fixture.addWithImages("empty", fixture.writeFile("img/empty.jpg", new byte[0]));
    bad.put("empty", "empty_image");
    fixture.addWithImages("text", fixture.writeFile("img/text.jpg", "not an image".getBytes()));
    bad.put("text", "unsupported_format");
    fixture.addWithImages("missing", "img/does-not-exist.png");
    bad.put("missing", "file_not_found");
    fixture.addWithImages("unreachable", "http://127.0.0.1:" + closedPort() + "/a.jpg");
    bad.put("unreachable", "network_error");
    return new MixedCatalog(fixture.write(), List.copyOf(good), Map.copyOf(bad));
  }

  /** A local port nothing listens on (bound, then released). */
  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
