package dev.clipsearch.models;

import java.util.Locale;

/**
 * Where inference runs: {@code auto} (CUDA when its execution provider loads, else CPU), {@code
 * cpu}, or {@code cuda[:N]} (GPU number N, default 0; fails if CUDA cannot be used).
 *
 * @param kind auto, cpu or cuda
 * @param index the CUDA device number; 0 for auto and cpu
 */
public record Device(Kind kind, int index) {

  /** The three ways to choose a device. */
  public enum Kind {
    AUTO,
    CPU,
    CUDA
  }

  public static final Device AUTO = new Device(Kind.AUTO, 0);
  public static final Device CPU = new Device(Kind.CPU, 0);

  public Device {
    if (kind == null) {
      throw new IllegalArgumentException("device kind is required");
    }
    if (index < 0 || (kind != Kind.CUDA && index != 0)) {
      throw new IllegalArgumentException("invalid device index " + index + " for " + kind);
    }
  }

  /** CUDA device number {@code index}. */
  public static Device cuda(int index) {
    return new Device(Kind.CUDA, index);
  }

  /**
   * Parses {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static Device parse(String text) {
    String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    switch (s) {
      case "auto":
        return AUTO;
      case "cpu":
        return CPU;
      case "cuda":
        return cuda(0);
      default:
        if (s.startsWith("cuda:")
            && s.length() > 5
            && s.substring(5).chars().allMatch(c -> c >= '0' && c <= '9')) {
          try {
            return cuda(Integer.parseInt(s.substring(5)));
          } catch (NumberFormatException e) {
            // too many digits: reported below
          }
        }
        throw new IllegalArgumentException(
            "invalid device '" + text + "': expected auto, cpu, cuda or cuda:N");
    }
  }

  /** The form {@link #parse} accepts: {@code auto}, {@code cpu} or {@code cuda:N}. */
  @Override
  public String toString() {
    return switch (kind) {
      case AUTO -> "auto";
      case CPU -> "cpu";
      case CUDA -> "cuda:" + index;
    };
  }
}
