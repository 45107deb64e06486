package dev.clipsearch.models.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference embeddings a generated model directory carries in {@code expected.json}: the
 * generator's float64 numpy forward pass of the same weights, L2-normalized.
 *
 * @param texts texts with the token ids the reference tokenizer gave them
 * @param images CHW input tensors (exactly what the image tower receives)
 */
public record ExpectedEmbeddings(List<Text> texts, List<Image> images) {

  /**
   * @param text the input text
   * @param ids the reference token ids, start and end included, truncated to the context length
   * @param embedding the expected normalized vector
   */
  public record Text(String text, int[] ids, float[] embedding) {}

  /**
   * @param name the tensor file, relative to the model directory
   * @param tensor the 3 x H x W input tensor
   * @param embedding the expected normalized vector
   */
  public record Image(String name, float[] tensor, float[] embedding) {}

  /** Reads {@code modelDir/expected.json} and the tensors it names. */
  public static ExpectedEmbeddings read(Path modelDir) {
    try {
      JsonNode root = new ObjectMapper().readTree(modelDir.resolve("expected.json").toFile());
      List<Text> texts = new ArrayList<>();
      for (JsonNode t : root.get("texts")) {
        texts.add(new Text(t.get("text").asText(), ints(t.get("ids")), floats(t.get("embedding"))));
      }
      List<Image> images = new ArrayList<>();
      for (JsonNode i : root.get("images")) {
        String name = i.get("tensor").asText();
        images.add(new Image(name, readF32(modelDir.resolve(name)), floats(i.get("embedding"))));
      }
      return new ExpectedEmbeddings(List.copyOf(texts), List.copyOf(images));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read expected embeddings in " + modelDir, e);
    }
  }

  /** The texts alone, in order. */
  public List<String> textInputs() {
    return texts.stream().map(Text::text).toList();
  }

  /** The image tensors alone, in order. */
  public List<float[]> imageTensors() {
    return images.stream().map(Image::tensor).toList();
  }

  private static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }

  private static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }

  /** A file of little-endian float32 values. */
  public static float[] readF32(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    float[] out = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }
}
