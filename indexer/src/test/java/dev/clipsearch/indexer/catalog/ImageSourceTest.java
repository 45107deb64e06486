package dev.clipsearch.indexer.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ImageSourceTest {

  private final Path base = Path.of("/data/catalog");

  @Test
  void relative_paths_resolve_against_the_catalog_folder() {
    ImageSource.LocalFile file =
        assertInstanceOf(ImageSource.LocalFile.class, ImageSource.resolve("img/../a.jpg", base));
    assertEquals(Path.of("/data/catalog/a.jpg"), file.path());
    assertEquals("img/../a.jpg", file.ref());
  }

  @Test
  void absolute_paths_and_file_uris_are_local_files() {
    assertEquals(
        Path.of("/x/y.png"),
        assertInstanceOf(ImageSource.LocalFile.class, ImageSource.resolve("/x/y.png", base))
            .path());
    assertEquals(
        Path.of("/x/y.png"),
        assertInstanceOf(ImageSource.LocalFile.class, ImageSource.resolve("file:///x/y.png", base))
            .path());
  }

  @Test
  void http_and_https_urls_are_remote_whatever_their_case() {
    ImageSource.Remote remote =
        assertInstanceOf(
            ImageSource.Remote.class, ImageSource.resolve("HTTPS://cdn.example/a.jpg?v=2", base));
    assertEquals(URI.create("HTTPS://cdn.example/a.jpg?v=2"), remote.uri());
  }

  @Test
  void other_schemes_and_broken_urls_are_refused_with_the_reference() {
    IllegalArgumentException ftp =
        assertThrows(
            IllegalArgumentException.class, () -> ImageSource.resolve("ftp://h/a.jpg", base));
    assertTrue(ftp.getMessage().contains("ftp://h/a.jpg"), ftp.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> ImageSource.resolve("http://bad host/a b", base));
    assertThrows(IllegalArgumentException.class, () -> ImageSource.resolve("http:///a.jpg", base));
  }
}
