package dev.clipsearch.models.offline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped model installs from the class path and loads through the normal manifest path. Its
 * retrieval quality is tested on real images in the sample-data module (OfflineModelRetrievalTest).
 */
class OfflineModelTest {

  static final RuntimeOptions CPU =
      RuntimeOptions.defaults().withDevice(Device.CPU).withIntraOpThreads(2);

  @Test
  void loads_from_the_class_path_with_the_manifest_facts(@TempDir Path tmp) {
    try (ClipModel model = OfflineModel.load(tmp.resolve("offline"), CPU)) {
      assertTrue(model.id().startsWith(OfflineModel.NAME + "-"), model.id());
      assertEquals(256, model.dimension());
      assertEquals(64, model.spec().preprocess().size());
      assertEquals(128, model.spec().contextLength());
      float[][] texts = model.encodeTexts(List.of("umbrella", ""));
      float[][] images = model.encodeImages(List.of(new float[3 * 64 * 64]));
      assertEquals(256, texts[0].length);
      assertEquals(256, images[0].length);
    }
  }

  @Test
  void install_leaves_identical_files_alone_and_replaces_damaged_ones(@TempDir Path tmp)
      throws IOException {
    Path dir = OfflineModel.install(tmp.resolve("offline"));
    for (String file : OfflineModel.FILES) {
      assertArrayEquals(resource(file), Files.readAllBytes(dir.resolve(file)), file);
    }
    FileTime before = FileTime.fromMillis(1_000_000L);
    Files.setLastModifiedTime(dir.resolve("image.onnx"), before);
    Files.write(dir.resolve("text-projection.f32"), new byte[] {1, 2, 3});

    OfflineModel.install(dir);

    assertEquals(before, Files.getLastModifiedTime(dir.resolve("image.onnx")));
    assertArrayEquals(
        resource("text-projection.f32"), Files.readAllBytes(dir.resolve("text-projection.f32")));
    try (var listing = Files.list(dir)) {
      assertEquals(OfflineModel.FILES.size(), listing.count(), "no temporary files are left");
    }
  }

  private static byte[] resource(String file) throws IOException {
    try (InputStream in =
        OfflineModel.class.getClassLoader().getResourceAsStream(OfflineModel.RESOURCE_DIR + file)) {
      return in.readAllBytes();
    }
  }
}
