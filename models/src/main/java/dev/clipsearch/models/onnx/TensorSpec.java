package dev.clipsearch.models.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.clipsearch.models.ModelLoadException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One input or output of an ONNX graph as the session reports it: name, element type and shape,
 * with -1 for a dynamic axis. Non-tensor values (sequences, maps) have a null type.
 */
record TensorSpec(String name, OnnxJavaType type, long[] shape) {

  static List<TensorSpec> inputs(OrtSession session, String file) {
    try {
      return of(session.getInputInfo());
    } catch (OrtException e) {
      throw new ModelLoadException(file + ": cannot read the graph's inputs: " + e.getMessage(), e);
    }
  }

  static List<TensorSpec> outputs(OrtSession session, String file) {
    try {
      return of(session.getOutputInfo());
    } catch (OrtException e) {
      throw new ModelLoadException(
          file + ": cannot read the graph's outputs: " + e.getMessage(), e);
    }
  }

  private static List<TensorSpec> of(Map<String, NodeInfo> infos) {
    List<TensorSpec> specs = new ArrayList<>();
    for (NodeInfo info : infos.values()) {
      if (info.getInfo() instanceof TensorInfo t) {
        specs.add(new TensorSpec(info.getName(), t.type, t.getShape()));
      } else {
        specs.add(new TensorSpec(info.getName(), null, new long[0]));
      }
    }
    return specs;
  }

  int rank() {
    return shape.length;
  }

  /** The size of {@code axis}, or 0 when it is dynamic. */
  int fixed(int axis) {
    return shape[axis] > 0 ? Math.toIntExact(shape[axis]) : 0;
  }

  boolean isFloat() {
    return type == OnnxJavaType.FLOAT || type == OnnxJavaType.FLOAT16;
  }

  boolean isInteger() {
    return type == OnnxJavaType.INT32 || type == OnnxJavaType.INT64;
  }

  /** For messages: {@code pixel_values float[-1,3,224,224]}. */
  String describe() {
    String t = type == null ? "non-tensor" : type.name().toLowerCase(Locale.ROOT);
    return name + " " + t + Arrays.toString(shape).replace(" ", "");
  }

  static String describe(List<TensorSpec> specs) {
    return specs.isEmpty()
        ? "none"
        : specs.stream().map(TensorSpec::describe).collect(Collectors.joining(", "));
  }

  static TensorSpec named(List<TensorSpec> specs, String name, String file, String what) {
    return specs.stream()
        .filter(s -> s.name.equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new ModelLoadException(
                    file + " has no " + what + " named '" + name + "'; found: " + describe(specs)));
  }
}
