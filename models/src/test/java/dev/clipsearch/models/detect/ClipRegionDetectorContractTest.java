package dev.clipsearch.models.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.image.DecodedImage;
import dev.clipsearch.models.offline.OfflineModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detector contract on the offline clipsearch-emoji-mini model, the one that ships, plus what
 * is particular to CLIP regions: windows and crops.
 */
class ClipRegionDetectorContractTest extends DetectorContractTest {

  @TempDir static Path temp;
  private static ClipModel model;
  private static ClipRegionDetector detector;

  @BeforeAll
  static void load() {
    model =
        OfflineModel.load(temp.resolve("offline"), RuntimeOptions.defaults().withIntraOpThreads(1));
    detector = new ClipRegionDetector(model, ClipRegionDetector.Config.defaults());
  }

  @AfterAll
  static void close() {
    if (model != null) {
      model.close();
    }
  }

  @Override
  Detector detector() {
    return detector;
  }

  @Test
  void windowsCoverTheImageEdgeToEdgeAtEveryScale() {
    List<Box> windows = RegionProposals.windows(100, 60, new double[] {0.5, 1.0}, 0.5);
    // side 30, step 15: x at 0,15,...,60,70 (flush), y at 0,15,30 (flush at 30); side 60: x 0,30,40
    assertEquals(6 * 3 + 3 + 0, windows.size() - 1, "windows besides the whole image: " + windows);
    assertEquals(new Box(70, 30, 100, 60), windows.get(17));
    assertEquals(new Box(0, 0, 100, 60), windows.getLast());
    assertThrows(
        IllegalArgumentException.class, () -> RegionProposals.windows(10, 10, new double[] {0}, 1));
  }

  @Test
  void cropsCopyTheBoxPixels() {
    DecodedImage image = noise(7, 5, 3, 9);
    DecodedImage crop = ClipRegionDetector.crop(image, new Box(2, 1, 5, 4));
    assertEquals(3, crop.width());
    assertEquals(3, crop.height());
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 3; x++) {
        for (int c = 0; c < 3; c++) {
          assertEquals(
              image.pixels()[((1 + y) * 7 + 2 + x) * 3 + c], crop.pixels()[(y * 3 + x) * 3 + c]);
        }
      }
    }
  }

  @Test
  void squareContextHoldsTheWholeBoxAndStaysInsideTheImage() {
    // A wide box in the middle: the square of its long side, centred on it.
    assertEquals(
        new Box(20, 0, 80, 60), ClipRegionDetector.square(new Box(20, 25, 80, 35), 100, 60));
    // Near the right edge: moved left, not cut.
    assertEquals(
        new Box(70, 10, 100, 40), ClipRegionDetector.square(new Box(85, 10, 100, 40), 100, 60));
    // Longer than the short side: the short side, as much of the box as fits.
    assertEquals(
        new Box(20, 0, 80, 60), ClipRegionDetector.square(new Box(0, 20, 100, 40), 100, 60));
  }

  @Test
  void paddedCropsCentreTheBoxOnClipsMeanColour() {
    DecodedImage image = noise(4, 2, 3, 5);
    DecodedImage padded = ClipRegionDetector.padded(image);
    assertEquals(4, padded.width());
    assertEquals(4, padded.height());
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        for (int c = 0; c < 3; c++) {
          byte expected =
              y == 1 || y == 2
                  ? image.pixels()[((y - 1) * 4 + x) * 3 + c]
                  : new byte[] {(byte) 123, (byte) 117, (byte) 104}[c];
          assertEquals(expected, padded.pixels()[(y * 4 + x) * 3 + c], x + "," + y + "," + c);
        }
      }
    }
  }
}
