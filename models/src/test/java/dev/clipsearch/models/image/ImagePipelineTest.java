package dev.clipsearch.models.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.image.ImageDecodeException.Reason;
import dev.clipsearch.models.testing.HostileImages;
import dev.clipsearch.models.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImagePipelineTest {

  private static final ImagePipeline PIPELINE =
      new ImagePipeline(
          new ImageDecoder(ImageLimits.DEFAULT), new ClipImagePreprocessor(PreprocessConfig.CLIP));

  @Test
  void oneInstanceGivesTheSameTensorsOnManyThreads() throws Exception {
    List<Path> files;
    try (Stream<Path> list = Files.list(TestImages.clipReference().resolve("images"))) {
      files = list.sorted().toList();
    }
    List<float[]> expected = new ArrayList<>();
    for (Path file : files) {
      expected.add(PIPELINE.preprocess(Files.readAllBytes(file), file.toString()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> results = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (Path file : files) {
          results.add(
              pool.submit(() -> PIPELINE.preprocess(Files.readAllBytes(file), file.toString())));
        }
      }
      for (int i = 0; i < results.size(); i++) {
        assertArrayEquals(
            expected.get(i % files.size()),
            results.get(i).get(60, TimeUnit.SECONDS),
            files.get(i % files.size()).toString());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anImageTooElongatedToResizeIsRejectedNotThrown() {
    // 1 x 10,000,000: within the pixel limit, but its long side would resize to 2.24e9 pixels
    byte[] tiff = grayTiff(1, 10_000_000);
    ImageDecodeException e =
        assertThrows(ImageDecodeException.class, () -> PIPELINE.preprocess(tiff, "line.tif"));
    assertEquals(Reason.UNSUPPORTED_FORMAT, e.reason());
    assertEquals("line.tif", e.sourceName());
  }

  @Test
  void a_png_too_elongated_to_resize_is_unsupported_format_with_or_without_thumbnails() {
    byte[] png = HostileImages.tooElongatedPng();
    ImagePipeline withThumbnails =
        ImagePipeline.of(ImageLimits.DEFAULT, PreprocessConfig.CLIP, Thumbnailer.DEFAULT_MAX_SIDE);
    for (ImagePipeline pipeline : new ImagePipeline[] {PIPELINE, withThumbnails}) {
      ImageDecodeException e =
          assertThrows(ImageDecodeException.class, () -> pipeline.process(png, "line.png"));
      assertEquals(Reason.UNSUPPORTED_FORMAT, e.reason());
      assertEquals("unsupported_format", e.reason().code());
      assertTrue(e.getMessage().contains("too elongated"), e.getMessage());
      assertTrue(e.getMessage().startsWith("line.png: "), e.getMessage());
    }
  }

  @Test
  void a_long_but_resizable_png_is_processed() throws ImageDecodeException {
    // 1 x 20,000: far from the limit, the preprocessor only computes the kept window
    ProcessedImage image = PIPELINE.process(HostileImages.grayPng(1, 20_000), "strip.png");
    assertEquals(1, image.width());
    assertEquals(20_000, image.height());
    assertEquals(PreprocessConfig.CLIP.tensorLength(), image.pixels().length);
  }

  @Test
  void process_makes_the_thumbnail_from_the_decoded_pixels_and_the_same_tensor_as_preprocess()
      throws Exception {
    byte[] png = HostileImages.grayPng(300, 200);
    ImagePipeline pipeline = ImagePipeline.of(ImageLimits.DEFAULT, PreprocessConfig.CLIP, 64);
    ProcessedImage image = pipeline.process(png, "gray.png");
    assertArrayEquals(PIPELINE.preprocess(png, "gray.png"), image.pixels());
    assertEquals(300, image.width());
    assertEquals(200, image.height());
    BufferedImage thumbnail = read(image.thumbnail());
    assertEquals(64, thumbnail.getWidth());
    assertEquals(43, thumbnail.getHeight());
    assertNull(PIPELINE.process(png, "gray.png").thumbnail());
  }

  private static BufferedImage read(byte[] jpeg) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(jpeg));
  }

  /** An uncompressed 8-bit gray TIFF, one strip, all black. */
  private static byte[] grayTiff(int width, int height) {
    int entries = 8;
    int pixelsAt = 8 + 2 + 12 * entries + 4;
    ByteBuffer b = ByteBuffer.allocate(pixelsAt + width * height).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8).putShort((short) entries);
    int[][] tags = {
      {256, width}, // ImageWidth
      {257, height}, // ImageLength
      {258, 8}, // BitsPerSample
      {259, 1}, // Compression: none
      {262, 1}, // PhotometricInterpretation: black is zero
      {273, pixelsAt}, // StripOffsets
      {278, height}, // RowsPerStrip
      {279, width * height} // StripByteCounts
    };
    for (int[] tag : tags) {
      b.putShort((short) tag[0]).putShort((short) 4).putInt(1).putInt(tag[1]); // LONG
    }
    b.putInt(0);
    return b.array();
  }
}
