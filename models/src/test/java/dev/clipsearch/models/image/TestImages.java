package dev.clipsearch.models.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Where the test images are, and how to read reference tensors. */
final class TestImages {

  private TestImages() {}

  /** ../shared/fixtures, passed by Surefire as the clipsearch.shared property. */
  static Path sharedFixtures() {
    String shared = System.getProperty("clipsearch.shared");
    if (shared == null) {
      throw new IllegalStateException("the clipsearch.shared system property is not set");
    }
    return Path.of(shared, "fixtures");
  }

  static Path clipReference() {
    return sharedFixtures().resolve("clip-reference");
  }

  static Path robustness(String name) {
    return sharedFixtures().resolve("image-robustness").resolve(name);
  }

  /** A test resource under /image/ on the class path. */
  static byte[] resource(String path) {
    try (InputStream in = TestImages.class.getResourceAsStream("/image/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource /image/" + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** float32 little-endian values; gunzipped first when the name ends in .gz. */
  static float[] floats(byte[] bytes, boolean gzipped) {
    if (gzipped) {
      try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
        bytes = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    float[] values = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }

  static DecodedImage decode(byte[] data, String name) {
    try {
      return new ImageDecoder(ImageLimits.DEFAULT).decode(data, name);
    } catch (ImageDecodeException e) {
      throw new AssertionError("could not decode " + name + ": " + e.getMessage(), e);
    }
  }
}
