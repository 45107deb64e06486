package dev.clipsearch.models.image;

import dev.clipsearch.models.image.ImageDecodeException.Reason;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.spi.ImageReaderSpi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes JPEG (baseline, progressive, CMYK and YCCK), PNG (palette, gray, 16-bit, alpha), GIF
 * (first frame), WebP, TIFF and BMP into {@link DecodedImage} pixels, the way the CLIP reference
 * pipeline (PIL) sees them: the sample values as stored, without colour management; grayscale kept
 * single-channel. For product photos it also applies the EXIF orientation and composites
 * transparency over white.
 *
 * <p>JPEGs go through libjpeg-turbo (the decoder PIL links, bound with the Foreign Function &
 * Memory API) when the library loads, and through ImageIO otherwise, which is about half as fast;
 * the missing library is logged once. CMYK and YCCK JPEGs, and any JPEG libjpeg-turbo refuses, take
 * the ImageIO path, so both paths accept the same files. A decoder made by {@link #reducedTo(int)}
 * decodes large JPEGs at 1/2, 1/4 or 1/8 of their size in the DCT domain, much faster and slightly
 * different from the reference (the {@code fast} decode mode).
 *
 * <p>Every failure is an {@link ImageDecodeException} with a {@link Reason} and the source's name;
 * no other exception escapes for bad input. The pixel limit is checked against the header before
 * any pixel memory is allocated, and images that are cut short are refused rather than returned
 * half grey.
 *
 * <p>Immutable and thread-safe: each call uses its own ImageIO reader or TurboJPEG handle.
 */
public final class ImageDecoder {

  private static final Logger LOG = LoggerFactory.getLogger(ImageDecoder.class);

  /** libjpeg-turbo, looked for once per JVM. */
  private static final TurboJpeg.Loaded TURBO_JPEG = TurboJpeg.load(TurboJpeg.LIBRARY_NAMES);

  private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

  private final ImageLimits limits;
  private final Map<ImageFormat, ImageReaderSpi> readers;
  private final TurboJpeg turboJpeg; // null: JPEGs through ImageIO
  private final String turboJpegMissing; // why turboJpeg is null
  private final int reducedShortSide; // 0: full size

  /**
   * A decoder that applies the given limits, and decodes JPEGs through libjpeg-turbo when it loads.
   */
  public ImageDecoder(ImageLimits limits) {
    this(limits, preferredReaders(), TURBO_JPEG.library(), TURBO_JPEG.failure(), 0);
    if (turboJpeg == null && FALLBACK_LOGGED.compareAndSet(false, true)) {
      LOG.warn(
          "libjpeg-turbo did not load ({}); JPEGs are decoded by ImageIO, about half as fast."
              + " Install it with: apt-get install libturbojpeg0",
          turboJpegMissing);
    }
  }

  private ImageDecoder(
      ImageLimits limits,
      Map<ImageFormat, ImageReaderSpi> readers,
      TurboJpeg turboJpeg,
      String turboJpegMissing,
      int reducedShortSide) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.readers = readers;
    this.turboJpeg = turboJpeg;
    this.turboJpegMissing = turboJpegMissing;
    this.reducedShortSide = reducedShortSide;
  }

  /** A decoder with libjpeg-turbo looked for under the given names (tests hide it this way). */
  static ImageDecoder withJpegLibrary(ImageLimits limits, List<String> libraryNames) {
    TurboJpeg.Loaded loaded = TurboJpeg.load(libraryNames);
    return new ImageDecoder(limits, preferredReaders(), loaded.library(), loaded.failure(), 0);
  }

  /** This decoder with JPEGs through ImageIO, whether or not libjpeg-turbo is there. */
  public ImageDecoder withoutTurboJpeg() {
    return new ImageDecoder(limits, readers, null, "not used by choice", reducedShortSide);
  }

  /**
   * This decoder, decoding a JPEG at the smallest of libjpeg-turbo's DCT scales (1/1, 1/2, 1/4,
   * 1/8) whose short side is still at least {@code minShortSide}. Other formats, and JPEGs without
   * libjpeg-turbo, are decoded at full size.
   *
   * @param minShortSide the smallest short side wanted, in pixels; 0 for full size always
   */
  public ImageDecoder reducedTo(int minShortSide) {
    if (minShortSide < 0) {
      throw new IllegalArgumentException("minShortSide must be >= 0, got " + minShortSide);
    }
    return new ImageDecoder(limits, readers, turboJpeg, turboJpegMissing, minShortSide);
  }

  /** The limits this decoder applies. */
  public ImageLimits limits() {
    return limits;
  }

  /**
   * The JPEG decoder in use, in words: "libjpeg-turbo (libturbojpeg.so.0), full size" or "ImageIO
   * (libjpeg-turbo not loaded: ...)".
   */
  public String jpegDecoder() {
    if (turboJpeg == null) {
      return "ImageIO (libjpeg-turbo not used: " + turboJpegMissing + ")";
    }
    return "libjpeg-turbo ("
        + turboJpeg.library()
        + "), "
        + (reducedShortSide == 0
            ? "full size"
            : "reduced to a short side of at least " + reducedShortSide + " px");
  }

  /** Whether JPEGs go through libjpeg-turbo. */
  public boolean usesTurboJpeg() {
    return turboJpeg != null;
  }

  /**
   * Decodes one image.
   *
   * @param data the encoded image, entire
   * @param sourceName where the bytes came from (file, URL, product id), for error messages
   * @return the upright pixels, 1 (gray) or 3 (RGB) channels
   * @throws ImageDecodeException when the data is empty, not a supported format, corrupt or cut
   *     short, or has more pixels than the limit
   */
  public DecodedImage decode(byte[] data, String sourceName) throws ImageDecodeException {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(sourceName, "sourceName");
    if (data.length == 0) {
      throw new ImageDecodeException(Reason.EMPTY, sourceName, "0 bytes");
    }
    ImageFormat format = ImageFormat.sniff(data);
    if (format == ImageFormat.JPEG && turboJpeg != null) {
      DecodedImage pixels = readWithTurboJpeg(data, sourceName);
      if (pixels != null) {
        return Orientation.apply(pixels, Containers.exifOrientation(format, data));
      }
    }
    ImageReaderSpi spi = format == null ? null : readers.get(format);
    if (spi == null) {
      throw new ImageDecodeException(
          Reason.UNSUPPORTED_FORMAT,
          sourceName,
          "the content is not JPEG, PNG, GIF, WebP, TIFF or BMP (" + data.length + " bytes)");
    }
    BufferedImage image = read(spi, format, data, sourceName);
    DecodedImage pixels = PixelUnpacker.unpack(image, sourceName);
    return Orientation.apply(pixels, Containers.exifOrientation(format, data));
  }

  /**
   * A JPEG through libjpeg-turbo, or null when ImageIO is to decode it: CMYK and YCCK (whose
   * conversion to RGB PixelUnpacker does as PIL does), and anything libjpeg-turbo cannot read.
   */
  private DecodedImage readWithTurboJpeg(byte[] data, String sourceName)
      throws ImageDecodeException {
    try (TurboJpeg.Decompressor jpeg = turboJpeg.new Decompressor(data)) {
      TurboJpeg.Header header;
      try {
        header = jpeg.header();
      } catch (TurboJpeg.Failure e) {
        return null; // not readable here: ImageIO reads it or says why not
      }
      checkPixelCount(header.width(), header.height(), ImageFormat.JPEG, sourceName);
      if (header.colorspace() == TurboJpeg.COLORSPACE_CMYK
          || header.colorspace() == TurboJpeg.COLORSPACE_YCCK) {
        return null;
      }
      String missing = Containers.missingData(ImageFormat.JPEG, data);
      if (missing != null) {
        throw new ImageDecodeException(Reason.CORRUPT, sourceName, missing);
      }
      int denominator = denominator(header.width(), header.height());
      int width = TurboJpeg.scaled(header.width(), denominator);
      int height = TurboJpeg.scaled(header.height(), denominator);
      int channels = TurboJpeg.channels(header);
      byte[] pixels = new byte[Math.multiplyExact(Math.multiplyExact(width, height), channels)];
      try {
        jpeg.decode(header, denominator, pixels);
      } catch (TurboJpeg.Failure e) {
        if (e.fatal) {
          return null; // ImageIO has the last word on what libjpeg-turbo refuses
        }
        if (e.getMessage().toLowerCase(Locale.ROOT).contains("premature end")) {
          throw new ImageDecodeException(Reason.CORRUPT, sourceName, e.getMessage());
        }
        // other warnings (extraneous bytes between segments, for one) leave a complete image
      }
      return new DecodedImage(width, height, channels, pixels, header.width(), header.height());
    }
  }

  /** 1, 2, 4 or 8: the largest that keeps the short side at or above reducedShortSide. */
  private int denominator(int width, int height) {
    if (reducedShortSide == 0) {
      return 1;
    }
    int shortSide = Math.min(width, height);
    int denominator = 8;
    while (denominator > 1 && TurboJpeg.scaled(shortSide, denominator) < reducedShortSide) {
      denominator /= 2;
    }
    return denominator;
  }

  /** Everything that talks to ImageIO, with its failures turned into ImageDecodeExceptions. */
  private BufferedImage read(ImageReaderSpi spi, ImageFormat format, byte[] data, String sourceName)
      throws ImageDecodeException {
    ImageReader reader = newReader(spi);
    byte[] toRead = format == ImageFormat.JPEG ? Containers.jpegWithoutIccProfile(data) : data;
    try (ByteArrayImageInputStream input = new ByteArrayImageInputStream(toRead)) {
      reader.setInput(input, true, true);
      checkPixelCount(reader.getWidth(0), reader.getHeight(0), format, sourceName);
      String missing = Containers.missingData(format, data);
      if (missing != null) {
        throw new ImageDecodeException(Reason.CORRUPT, sourceName, missing);
      }
      ImageReadParam param = reader.getDefaultReadParam();
      ImageTypeSpecifier raw = reader.getRawImageType(0);
      if (raw != null) {
        param.setDestinationType(raw); // the values as stored: no ICC or CMYK conversion
      }
      MissingDataWarnings warnings = new MissingDataWarnings();
      reader.addIIOReadWarningListener(warnings);
      BufferedImage image = reader.read(0, param);
      if (warnings.first != null) {
        throw new ImageDecodeException(Reason.CORRUPT, sourceName, warnings.first);
      }
      return image;
    } catch (IOException e) {
      throw new ImageDecodeException(Reason.CORRUPT, sourceName, describe(e), e);
    } catch (RuntimeException e) {
      // ImageIO plugins signal some damage with unchecked exceptions (array bounds, bad
      // arguments deep inside a decoder): still a property of the file.
      throw new ImageDecodeException(Reason.CORRUPT, sourceName, "decoder failed: " + e, e);
    } finally {
      reader.dispose();
    }
  }

  private void checkPixelCount(int width, int height, ImageFormat format, String sourceName)
      throws ImageDecodeException {
    if (width <= 0 || height <= 0) {
      throw new ImageDecodeException(
          Reason.CORRUPT, sourceName, "the header gives a size of " + width + " x " + height);
    }
    long pixels = (long) width * height;
    if (pixels > limits.maxPixels()) {
      throw new ImageDecodeException(
          Reason.TOO_MANY_PIXELS,
          sourceName,
          String.format(
              Locale.ROOT,
              "the %s header gives %d x %d = %d pixels, the limit is %d",
              format,
              width,
              height,
              pixels,
              limits.maxPixels()));
    }
  }

  /** The preferred ImageIO reader of each format that has one. */
  private static Map<ImageFormat, ImageReaderSpi> preferredReaders() {
    Map<ImageFormat, ImageReaderSpi> found = new EnumMap<>(ImageFormat.class);
    for (ImageFormat format : ImageFormat.values()) {
      ImageReaderSpi spi = preferredReader(format.imageIoName);
      if (spi != null) {
        found.put(format, spi);
      }
    }
    return Collections.unmodifiableMap(found);
  }

  private static ImageReader newReader(ImageReaderSpi spi) {
    try {
      return spi.createReaderInstance();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create an ImageIO reader from " + spi, e);
    }
  }

  /** "IIOException: Error reading PNG image data (EOFException: Unexpected end of ZLIB ...)". */
  private static String describe(Throwable e) {
    String text =
        e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    return e.getCause() == null ? text : text + " (" + describe(e.getCause()) + ")";
  }

  /**
   * The reader registered for a format name, preferring TwelveMonkeys' plugins (CMYK and YCCK JPEG,
   * WebP, the more complete TIFF) over the JDK's; null when none is installed.
   */
  private static ImageReaderSpi preferredReader(String formatName) {
    List<ImageReaderSpi> candidates = new ArrayList<>();
    for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(formatName);
        it.hasNext(); ) {
      ImageReader reader = it.next();
      candidates.add(reader.getOriginatingProvider());
      reader.dispose();
    }
    return candidates.stream()
        .filter(spi -> spi.getClass().getName().startsWith("com.twelvemonkeys."))
        .findFirst()
        .orElse(candidates.isEmpty() ? null : candidates.get(0));
  }

  /**
   * Collects libjpeg's warnings that pixel data was missing ("premature end of data segment",
   * "premature end of JPEG file"): the decoder then fills the rest with grey and returns normally.
   * Other warnings (extraneous bytes between segments, for one) leave a complete image.
   */
  private static final class MissingDataWarnings implements IIOReadWarningListener {
    private String first;

    @Override
    public void warningOccurred(ImageReader source, String warning) {
      if (first == null
          && warning != null
          && warning.toLowerCase(Locale.ROOT).contains("premature end")) {
        first = warning;
      }
    }
  }
}
