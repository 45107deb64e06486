package dev.clipsearch.models.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.models.ModelLoadException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads one tensor out of a {@code .safetensors} file (the format sentence-transformers and
 * transformers save weights in): an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw little-endian data. F32, F16 and BF16 tensors
 * are read, as float32. The whole file is read into memory, so this is meant for small files such
 * as a Dense layer's weights.
 */
final class SafeTensors {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER = 100L << 20;

  /** A tensor: its shape and its values, row-major. */
  record Tensor(long[] shape, float[] values) {}

  private SafeTensors() {}

  /**
   * The tensor {@code name} of {@code file}.
   *
   * @throws ModelLoadException naming the file when it is no safetensors file, lacks the tensor, or
   *     holds it in a type other than F32, F16 or BF16
   */
  static Tensor read(ModelSource file, String name) {
    byte[] bytes = file.readAllBytes();
    String where = file.describe();
    if (bytes.length < 8) {
      throw new ModelLoadException(where + ": not a safetensors file (" + bytes.length + " bytes)");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength = buffer.getLong(0);
    if (headerLength < 2 || headerLength > MAX_HEADER || 8 + headerLength > bytes.length) {
      throw new ModelLoadException(
          where
              + ": not a safetensors file (header length "
              + headerLength
              + " in a file of "
              + bytes.length
              + " bytes)");
    }
    JsonNode header;
    try {
      header =
          JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8).strip());
    } catch (JsonProcessingException e) {
      throw new ModelLoadException(
          where + ": the safetensors header is not JSON: " + e.getOriginalMessage(), e);
    }
    if (header == null || !header.isObject()) {
      throw new ModelLoadException(where + ": the safetensors header is not a JSON object");
    }
    JsonNode entry = header.get(name);
    if (entry == null || !entry.isObject()) {
      throw new ModelLoadException(
          where + ": no tensor '" + name + "'; it holds " + String.join(", ", names(header)));
    }
    String dtype = entry.path("dtype").asText();
    int width =
        switch (dtype) {
          case "F32" -> 4;
          case "F16", "BF16" -> 2;
          default ->
              throw new ModelLoadException(
                  where + ": tensor '" + name + "' is " + dtype + "; only F32, F16, BF16 are read");
        };
    JsonNode shapeNode = entry.path("shape");
    JsonNode offsets = entry.path("data_offsets");
    if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
      throw new ModelLoadException(
          where + ": tensor '" + name + "' lacks a shape or [begin, end] data_offsets");
    }
    long[] shape = new long[shapeNode.size()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asLong(-1);
      if (shape[i] < 0) {
        throw new ModelLoadException(where + ": tensor '" + name + "' has shape " + shapeNode);
      }
      count *= shape[i];
    }
    long begin = offsets.get(0).asLong(-1);
    long end = offsets.get(1).asLong(-1);
    long dataStart = 8 + headerLength;
    if (begin < 0 || end != begin + count * width || dataStart + end > bytes.length) {
      throw new ModelLoadException(
          where
              + ": tensor '"
              + name
              + "' of shape "
              + shapeNode
              + " and type "
              + dtype
              + " does not fit its data_offsets "
              + offsets
              + " in a file of "
              + bytes.length
              + " bytes");
    }
    float[] values = new float[(int) count];
    int at = (int) (dataStart + begin);
    for (int i = 0; i < values.length; i++, at += width) {
      values[i] =
          switch (dtype) {
            case "F32" -> buffer.getFloat(at);
            case "F16" -> Float.float16ToFloat(buffer.getShort(at));
            default -> Float.intBitsToFloat((buffer.getShort(at) & 0xFFFF) << 16);
          };
    }
    return new Tensor(shape, values);
  }

  private static List<String> names(JsonNode header) {
    List<String> names = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      String key = it.next().getKey();
      if (!key.equals("__metadata__")) {
        names.add(key);
      }
    }
    return names.isEmpty() ? List.of("no tensors") : names;
  }
}
