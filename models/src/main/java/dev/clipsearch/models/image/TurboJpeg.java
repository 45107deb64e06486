package dev.clipsearch.models.image;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * libjpeg-turbo's TurboJPEG API (Debian's libturbojpeg0), bound through the Foreign Function &
 * Memory API: the JPEG decoder PIL links, so decoding through it gives the reference pipeline's
 * pixels, about twice as fast as the JDK's libjpeg 6b. Decoding uses the library's defaults, as PIL
 * does: the accurate integer IDCT and fancy (triangular) chroma upsampling.
 *
 * <p>Thread-safe: every decode opens its own TurboJPEG handle and frees it before returning; each
 * thread reuses one native output buffer of at most {@link #REUSED_OUTPUT_LIMIT} bytes.
 */
final class TurboJpeg {

  /** The library names tried, in order, with the platform's usual library search. */
  static final List<String> LIBRARY_NAMES = List.of("libturbojpeg.so.0", "libturbojpeg.so");

  // turbojpeg.h
  private static final int TJPF_RGB = 0;
  private static final int TJPF_GRAY = 6;
  private static final int TJCS_GRAY = 2;
  private static final int TJERR_FATAL = 1;
  private static final int TJFLAG_ACCURATEDCT = 4096;

  /** At most 500 progressive scans (libjpeg-turbo 2.1+): hostile files cannot loop for minutes. */
  private static final int TJFLAG_LIMITSCANS = 32768;

  private static final int FLAGS = TJFLAG_ACCURATEDCT | TJFLAG_LIMITSCANS;

  /** JPEG colour spaces of the header. */
  static final int COLORSPACE_CMYK = 3;

  static final int COLORSPACE_YCCK = 4;

  private final String library;
  private final MethodHandle initDecompress;
  private final MethodHandle decompressHeader3;
  private final MethodHandle decompress2;
  private final MethodHandle errorString;
  private final MethodHandle errorCode;
  private final MethodHandle destroy;
  private final MethodHandle malloc;
  private final MethodHandle free;

  private TurboJpeg(String library, SymbolLookup lookup) {
    this.library = library;
    Linker linker = Linker.nativeLinker();
    initDecompress = bind(linker, lookup, "tjInitDecompress", FunctionDescriptor.of(ADDRESS));
    decompressHeader3 =
        bind(
            linker,
            lookup,
            "tjDecompressHeader3",
            FunctionDescriptor.of(
                JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    decompress2 =
        bind(
            linker,
            lookup,
            "tjDecompress2",
            FunctionDescriptor.of(
                JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT));
    errorString = bind(linker, lookup, "tjGetErrorStr2", FunctionDescriptor.of(ADDRESS, ADDRESS));
    errorCode = bind(linker, lookup, "tjGetErrorCode", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    destroy = bind(linker, lookup, "tjDestroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    // malloc rather than Arena.allocate: a 12-megapixel output need not be zeroed first.
    SymbolLookup libc = linker.defaultLookup();
    malloc = bind(linker, libc, "malloc", FunctionDescriptor.of(ADDRESS, JAVA_LONG));
    free = bind(linker, libc, "free", FunctionDescriptor.ofVoid(ADDRESS));
  }

  private static MethodHandle bind(
      Linker linker, SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
    MemorySegment symbol =
        lookup
            .find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError("the library has no symbol " + name));
    return linker.downcallHandle(symbol, descriptor);
  }

  /** The outcome of looking for the library: the binding, or why there is none. */
  record Loaded(TurboJpeg library, String failure) {}

  /** The first of the given library names that loads and has the TurboJPEG functions. */
  static Loaded load(List<String> names) {
    List<String> failures = new ArrayList<>();
    for (String name : names) {
      try {
        return new Loaded(
            new TurboJpeg(name, SymbolLookup.libraryLookup(name, Arena.global())), null);
      } catch (IllegalArgumentException | UnsatisfiedLinkError | IllegalCallerException e) {
        failures.add(name + ": " + e.getMessage());
      }
    }
    return new Loaded(null, String.join("; ", failures));
  }

  /** The library's name as loaded. */
  String library() {
    return library;
  }

  /** What a JPEG's header says. */
  record Header(int width, int height, int colorspace) {}

  /** A decode that failed: fatal (no image) or a warning (the image is there, maybe damaged). */
  static final class Failure extends Exception {
    final boolean fatal;

    Failure(String message, boolean fatal) {
      super(message);
      this.fatal = fatal;
    }
  }

  /** An open decompressor over one JPEG's bytes, copied into native memory; close to free both. */
  final class Decompressor implements AutoCloseable {
    private final MemorySegment handle;
    private final MemorySegment jpeg;
    private final long size;

    Decompressor(byte[] data) {
      handle = (MemorySegment) invoke(initDecompress);
      if (handle.equals(MemorySegment.NULL)) {
        throw new OutOfMemoryError("tjInitDecompress failed");
      }
      size = data.length;
      try {
        jpeg = allocate(size);
      } catch (OutOfMemoryError e) {
        invoke(destroy, handle);
        throw e;
      }
      MemorySegment.copy(data, 0, jpeg, JAVA_BYTE, 0, data.length);
    }

    /** Reads the header: size and colour space, no pixels. */
    Header header() throws Failure {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment ints = arena.allocate(JAVA_INT, 4);
        int rc =
            (int)
                invoke(
                    decompressHeader3,
                    handle,
                    jpeg,
                    size,
                    ints,
                    ints.asSlice(4),
                    ints.asSlice(8),
                    ints.asSlice(12));
        if (rc != 0) {
          throw failure();
        }
        return new Header(
            ints.getAtIndex(JAVA_INT, 0),
            ints.getAtIndex(JAVA_INT, 1),
            ints.getAtIndex(JAVA_INT, 3));
      }
    }

    /**
     * Decodes the pixels, scaled by 1/{@code denominator} (1, 2, 4 or 8) in the DCT domain: gray
     * for a grayscale JPEG, else RGB. A warning (damaged but complete data) is thrown only after
     * the pixels are written; {@code into} then holds them.
     *
     * @param header this JPEG's header
     * @param into receives the pixels, {@link #pixelBytes} long
     */
    void decode(Header header, int denominator, byte[] into) throws Failure {
      int width = scaled(header.width(), denominator);
      int height = scaled(header.height(), denominator);
      int channels = channels(header);
      long bytes = (long) width * height * channels;
      if (into.length != bytes) {
        throw new IllegalArgumentException("expected " + bytes + " bytes, got " + into.length);
      }
      boolean reuse = bytes <= REUSED_OUTPUT_LIMIT;
      MemorySegment out = reuse ? reusedOutput(bytes) : allocate(bytes);
      try {
        int rc =
            (int)
                invoke(
                    decompress2,
                    handle,
                    jpeg,
                    size,
                    out,
                    width,
                    width * channels,
                    height,
                    channels == 1 ? TJPF_GRAY : TJPF_RGB,
                    FLAGS);
        Failure failure = rc == 0 ? null : failure();
        if (failure != null && failure.fatal) {
          throw failure;
        }
        MemorySegment.copy(out, JAVA_BYTE, 0, into, 0, into.length);
        if (failure != null) {
          throw failure;
        }
      } finally {
        if (!reuse) {
          invoke(free, out);
        }
      }
    }

    private Failure failure() {
      MemorySegment text = (MemorySegment) invoke(errorString, handle);
      String message =
          text.equals(MemorySegment.NULL) ? "unknown error" : text.reinterpret(1024).getString(0);
      return new Failure(message, (int) invoke(errorCode, handle) == TJERR_FATAL);
    }

    @Override
    public void close() {
      invoke(free, jpeg);
      invoke(destroy, handle);
    }
  }

  /** 1 for a grayscale JPEG, else 3. */
  static int channels(Header header) {
    return header.colorspace() == TJCS_GRAY ? 1 : 3;
  }

  /** A side after scaling by 1/denominator, rounded up as libjpeg does. */
  static int scaled(int side, int denominator) {
    return (side + denominator - 1) / denominator;
  }

  /**
   * Outputs up to this size (a 16-megapixel RGB photo) are decoded into a buffer each thread keeps
   * and reuses: a fresh 36 MB block costs more in page faults than decoding the photo's last third.
   */
  static final long REUSED_OUTPUT_LIMIT = 48L << 20;

  private static final ThreadLocal<MemorySegment[]> OUTPUT =
      ThreadLocal.withInitial(() -> new MemorySegment[1]);

  /** This thread's output buffer, grown to at least the given size; freed with its thread. */
  private static MemorySegment reusedOutput(long bytes) {
    MemorySegment[] held = OUTPUT.get();
    if (held[0] == null || held[0].byteSize() < bytes) {
      long size =
          Math.min(
              REUSED_OUTPUT_LIMIT, Math.max(bytes, 2 * (held[0] == null ? 0 : held[0].byteSize())));
      held[0] = Arena.ofAuto().allocate(size, 64);
    }
    return held[0].asSlice(0, bytes);
  }

  private MemorySegment allocate(long bytes) {
    MemorySegment block = (MemorySegment) invoke(malloc, Math.max(1, bytes));
    if (block.equals(MemorySegment.NULL)) {
      throw new OutOfMemoryError("malloc(" + bytes + ") failed");
    }
    return block.reinterpret(bytes);
  }

  private static Object invoke(MethodHandle function, Object... args) {
    try {
      return function.invokeWithArguments(args);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }
}
