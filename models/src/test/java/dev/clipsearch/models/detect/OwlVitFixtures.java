package dev.clipsearch.models.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.models.image.DecodedImage;
import dev.clipsearch.models.image.ImageDecodeException;
import dev.clipsearch.models.image.ImageDecoder;
import dev.clipsearch.models.image.ImageLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The OWL-ViT parity fixtures under test resources owlvit/, made by
 * models/generator/owlvit_fixtures.py, and the images they refer to.
 */
final class OwlVitFixtures {

  private OwlVitFixtures() {}

  static JsonNode json(String name) {
    try {
      return new ObjectMapper().readTree(resource("owlvit/" + name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] resource(String path) {
    try (InputStream in = OwlVitFixtures.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("test resource not found: " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A case's source image: "shared" is ../shared/fixtures, "resources" the test resources. */
  static byte[] image(String source, String path) {
    if (source.equals("resources")) {
      return resource(path);
    }
    String shared = System.getProperty("clipsearch.shared");
    if (shared == null) {
      throw new IllegalStateException("the clipsearch.shared system property is not set");
    }
    try {
      return Files.readAllBytes(Path.of(shared, "fixtures").resolve(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static DecodedImage decode(byte[] data, String name) {
    try {
      return new ImageDecoder(ImageLimits.DEFAULT).decode(data, name);
    } catch (ImageDecodeException e) {
      throw new AssertionError("could not decode " + name + ": " + e.getMessage(), e);
    }
  }

  static float[] floats(JsonNode array) {
    float[] values = new float[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) array.get(i).asDouble();
    }
    return values;
  }
}
