package dev.clipsearch.sampledata.emoji;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clipsearch.sampledata.fetch.TestArchives;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageIndexTest {

  @TempDir Path dir;

  @Test
  void fluent_files_are_found_by_qualified_code_points_or_without_the_selector() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("package/assets/1f34e.webp", new byte[] {1});
    files.put("package/assets/1f576-fe0f.webp", new byte[] {1});
    files.put("package/assets/2615.webp", new byte[] {1});
    files.put("package/assets/nested/1f455.webp", new byte[] {1});
    files.put("package/README.md", new byte[] {1});
    Path tarball = TestArchives.tarGz(dir.resolve("fluent.tgz"), files);

    ImageIndex index = ImageIndex.read(ImageStyle.FLUENT_3D, tarball);

    assertEquals(Optional.of("1f34e.webp"), index.fileOf(Fixtures.emoji("red apple")));
    assertEquals(Optional.of("1f576-fe0f.webp"), index.fileOf(Fixtures.emoji("sunglasses")));
    assertEquals(Optional.of("2615.webp"), index.fileOf(Fixtures.emoji("hot beverage")));
    assertEquals(Optional.empty(), index.fileOf(Fixtures.emoji("t-shirt")));
    assertEquals("package/assets/1f34e.webp", index.tarEntryOf("1f34e.webp"));
  }

  @Test
  void emoji_datasource_images_count_only_where_the_set_draws_them_itself() throws Exception {
    String json =
        """
        [
          {"unified": "1F34E", "non_qualified": null, "image": "1f34e.png", "has_img_google": true},
          {"unified": "1F576-FE0F", "non_qualified": "1F576", "image": "1f576-fe0f.png",
           "has_img_google": true},
          {"unified": "1F455", "non_qualified": null, "image": "1f455.png", "has_img_google": false}
        ]
        """;
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("package/emoji.json", json.getBytes(UTF_8));
    files.put("package/img/google/64/1f34e.png", new byte[] {1});
    files.put("package/img/google/64/1f576-fe0f.png", new byte[] {1});
    files.put("package/img/google/64/1f455.png", new byte[] {1});
    Path tarball = TestArchives.tarGz(dir.resolve("google.tgz"), files);

    ImageIndex index = ImageIndex.read(ImageStyle.NOTO, tarball);

    assertEquals(Optional.of("1f34e.png"), index.fileOf(Fixtures.emoji("red apple")));
    assertEquals(Optional.of("1f576-fe0f.png"), index.fileOf(Fixtures.emoji("sunglasses")));
    assertEquals(Optional.empty(), index.fileOf(Fixtures.emoji("t-shirt")), "fallback image");
  }
}
