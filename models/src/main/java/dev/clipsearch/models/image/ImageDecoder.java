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
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.spi.ImageReaderSpi;

/**
 * Decodes JPEG (baseline, progressive, CMYK and YCCK), PNG (palette, gray, 16-bit, alpha), GIF
 * (first frame), WebP, TIFF and BMP into {@link DecodedImage} pixels, the way the CLIP reference
 * pipeline (PIL) sees them: the sample values as stored, without colour management; grayscale kept
 * single-channel. For product photos it also applies the EXIF orientation and composites
 * transparency over white.
 *
 * <p>Every failure is an {@link ImageDecodeException} with a {@link Reason} and the source's name;
 * no other exception escapes for bad input. The pixel limit is checked against the header before
 * any pixel memory is allocated, and images that are cut short are refused rather than returned
 * half grey.
 *
 * <p>Immutable and thread-safe: each call uses its own ImageIO reader.
 */
public final class ImageDecoder {

  private final ImageLimits limits;
  private final Map<ImageFormat, ImageReaderSpi> readers;

  /** A decoder that applies the given limits. */
  public ImageDecoder(ImageLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    Map<ImageFormat, ImageReaderSpi> found = new EnumMap<>(ImageFormat.class);
    for (ImageFormat format : ImageFormat.values()) {
      ImageReaderSpi spi = preferredReader(format.imageIoName);
      if (spi != null) {
        found.put(format, spi);
      }
    }
    this.readers = Collections.unmodifiableMap(found);
  }

  /** The limits this decoder applies. */
  public ImageLimits limits() {
    return limits;
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
