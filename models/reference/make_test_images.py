#!/usr/bin/python3
"""Writes the small synthetic test images of the models module (seeded, reproducible).

    make_test_images.py RESOURCES_DIR

RESOURCES_DIR/parity/: images of the kinds the CLIP reference handles (RGB and L; odd
sizes, upscaling, extreme aspect ratios, JPEG), for preprocess_reference.py to turn into
reference tensors. RESOURCES_DIR/decode/: containers and pixel formats the decoder must
handle, each with NAME.expected.png holding the 8-bit pixels the decoder must produce
(grayscale stays L; alpha composited over white; EXIF orientation applied as PIL's
ImageOps.exif_transpose does; 16-bit samples reduced to their high byte as PIL does for
16-bit RGB).

Run with Debian's /usr/bin/python3 (python3-pil, python3-numpy).
"""

import io
import os
import struct
import sys
import zlib

import numpy as np
from PIL import Image, ImageDraw, ImageOps

SEED = 20240531


def scene(width, height, rng, mode="RGB"):
    """Gradients, shapes and stripes: compressible, with edges and high frequencies."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    base = np.stack(
        [
            127 + 100 * np.sin(x / max(width, 1) * 6.1 + rng.uniform(0, 6)),
            127 + 100 * np.cos(y / max(height, 1) * 4.3 + rng.uniform(0, 6)),
            (x + y) / (width + height) * 255,
        ],
        axis=-1,
    )
    image = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x0, x1 = sorted(rng.integers(0, max(width, 2), 2))
        y0, y1 = sorted(rng.integers(0, max(height, 2), 2))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        if rng.random() < 0.5:
            draw.rectangle([x0, y0, x1, y1], fill=colour)
        else:
            draw.ellipse([x0, y0, x1, y1], outline=colour, width=2)
    # one-pixel stripes: what an antialiasing filter must average away
    stripe_w = max(width // 5, 1)
    for i in range(0, stripe_w, 2):
        draw.line([(i, 0), (i, height // 3)], fill=(250, 250, 250))
    return image.convert(mode)


def noise(width, height, rng, channels=3):
    return rng.integers(0, 256, (height, width, channels), dtype=np.uint8)


def write_png(path, array, bit_depth, colour_type):
    """A minimal PNG writer, for sample formats PIL does not write (16-bit RGB, 2-bit L)."""
    height, width = array.shape[:2]
    if bit_depth == 16:
        raw = array.astype(">u2").reshape(height, -1).view(np.uint8)
    elif bit_depth < 8:
        per_byte = 8 // bit_depth
        padded = np.zeros((height, -(-width // per_byte) * per_byte), np.uint8)
        padded[:, :width] = array
        groups = padded.reshape(height, -1, per_byte)
        raw = np.zeros(groups.shape[:2], np.uint8)
        for i in range(per_byte):
            raw |= groups[:, :, i] << (8 - bit_depth * (i + 1))
    else:
        raw = array.reshape(height, -1)
    body = b"".join(b"\x00" + row.tobytes() for row in raw)

    def chunk(kind, data):
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr))
        f.write(chunk(b"IDAT", zlib.compress(body, 9)) + chunk(b"IEND", b""))


def over_white(rgb, alpha):
    a = alpha.astype(np.int64)[..., None] if rgb.ndim == 3 else alpha.astype(np.int64)
    return ((rgb.astype(np.int64) * a + 255 * (255 - a) + 127) // 255).astype(np.uint8)


def exif_with_orientation(orientation):
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()


def parity_images(out, rng):
    os.makedirs(out, exist_ok=True)
    scene(7, 5, rng).save(os.path.join(out, "tiny_7x5.png"))  # upscaled 32x
    scene(259, 181, rng, "L").save(os.path.join(out, "gray_259x181.png"))
    scene(41, 900, rng).save(os.path.join(out, "tall_41x900.png"))  # 224 x 4917
    scene(1000, 999, rng).save(os.path.join(out, "near_square_1000x999.png"))
    scene(224, 300, rng).save(os.path.join(out, "no_resize_224x300.png"))
    scene(225, 224, rng).save(os.path.join(out, "no_resize_225x224.png"))
    photo = Image.fromarray(
        np.clip(np.asarray(scene(333, 250, rng), np.int16) + noise(333, 250, rng) // 32 - 4, 0, 255)
        .astype(np.uint8)
    )
    photo.save(os.path.join(out, "photo_333x250.jpg"), quality=85)  # 4:2:0
    scene(1000, 70, rng).save(os.path.join(out, "wide_1000x70.jpg"), quality=90, subsampling=1)
    scene(301, 203, rng, "L").save(os.path.join(out, "gray_301x203.jpg"), quality=90)
    scene(480, 321, rng).save(
        os.path.join(out, "progressive_480x321.jpg"), quality=80, progressive=True
    )


def decode_images(out, rng):
    os.makedirs(out, exist_ok=True)

    def expect(name, pixels):
        Image.fromarray(pixels).save(os.path.join(out, name + ".expected.png"))

    # EXIF orientation 1..8 in JPEG: the stored pixels are the upright picture transformed so
    # that applying the orientation shows it upright; the expectation is what PIL shows after
    # ImageOps.exif_transpose (the upright picture up to JPEG noise).
    upright = scene(32, 20, rng)
    inverse = {  # the inverse of exif_transpose's operation for each orientation
        1: None,
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_90,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_270,
    }
    for orientation, operation in inverse.items():
        name = f"orientation_{orientation}"
        stored = upright if operation is None else upright.transpose(operation)
        path = os.path.join(out, name + ".jpg")
        stored.save(path, quality=95, subsampling=0, exif=exif_with_orientation(orientation))
        with Image.open(path) as im:
            shown = np.asarray(ImageOps.exif_transpose(im).convert("RGB"))
        assert shown.shape == np.asarray(upright).shape
        assert np.abs(shown.astype(int) - np.asarray(upright)).mean() < 8, orientation
        expect(name, shown)
    # the same tag in the lossless containers that carry EXIF: expected is the upright picture
    stored = upright.transpose(inverse[6])
    for ext, kwargs in (
        ("png", {"exif": exif_with_orientation(6)}),
        ("webp", {"exif": exif_with_orientation(6), "lossless": True}),
        ("tif", {"tiffinfo": {0x0112: 6}}),
    ):
        name = f"orientation_6_{ext}"
        path = os.path.join(out, name + "." + ext)
        stored.save(path, **kwargs)
        with Image.open(path) as im:
            im.load()  # PIL's TIFF loader applies the orientation itself
            shown = im if ext == "tif" else ImageOps.exif_transpose(im)
            assert np.array_equal(np.asarray(shown.convert("RGB")), np.asarray(upright)), ext
        expect(name, np.asarray(upright))

    # 16-bit RGB PNG: PIL keeps the high byte of each sample
    rgb16 = rng.integers(0, 65536, (12, 17, 3), dtype=np.uint16)
    write_png(os.path.join(out, "rgb16.png"), rgb16, 16, 2)
    with Image.open(os.path.join(out, "rgb16.png")) as im:
        assert np.array_equal(np.asarray(im.convert("RGB")), (rgb16 >> 8).astype(np.uint8))
    expect("rgb16", (rgb16 >> 8).astype(np.uint8))
    # 16-bit RGBA PNG: high byte, then over white
    rgba16 = rng.integers(0, 65536, (9, 11, 4), dtype=np.uint16)
    rgba16[0, :, 3] = 0
    rgba16[1, :, 3] = 65535
    write_png(os.path.join(out, "rgba16.png"), rgba16, 16, 6)
    high = (rgba16 >> 8).astype(np.uint8)
    expect("rgba16", over_white(high[..., :3], high[..., 3]))
    # 2-bit grayscale PNG: PIL scales to 0..255 (v * 85)
    gray2 = rng.integers(0, 4, (7, 13), dtype=np.uint8)
    write_png(os.path.join(out, "gray2bit.png"), gray2, 2, 0)
    with Image.open(os.path.join(out, "gray2bit.png")) as im:
        assert np.array_equal(np.asarray(im.convert("L")), gray2 * 85)
    expect("gray2bit", gray2 * 85)
    # 1-bit PNG
    bits = Image.fromarray(rng.integers(0, 2, (9, 14), dtype=np.uint8) * 255).convert("1")
    bits.save(os.path.join(out, "bilevel.png"))
    expect("bilevel", np.asarray(bits.convert("L")))
    # grayscale with alpha stays single-channel, composited over white
    gray = np.asarray(scene(20, 10, rng, "L"))
    alpha = rng.integers(0, 256, gray.shape, dtype=np.uint8)
    alpha[0, :] = 0
    Image.fromarray(np.stack([gray, alpha], -1), "LA").save(os.path.join(out, "gray_alpha.png"))
    expect("gray_alpha", over_white(gray, alpha))
    # palette with a transparent entry (tRNS)
    palette_rgb = noise(6, 5, rng)
    pal = Image.fromarray(palette_rgb).quantize(8)
    pal.info["transparency"] = 0
    pal.save(os.path.join(out, "palette_transparent.png"), transparency=0)
    with Image.open(os.path.join(out, "palette_transparent.png")) as im:
        rgba = np.asarray(im.convert("RGBA"))
    expect("palette_transparent", over_white(rgba[..., :3], rgba[..., 3]))
    # a single-frame GIF big enough to cut inside its pixel data
    gif = scene(96, 64, rng).quantize(64)
    gif.save(os.path.join(out, "single_frame.gif"))
    with Image.open(os.path.join(out, "single_frame.gif")) as im:
        expect("single_frame", np.asarray(im.convert("RGB")))
    # BMP, 24-bit
    bmp = scene(13, 9, rng)
    bmp.save(os.path.join(out, "rgb24.bmp"))
    expect("rgb24", np.asarray(bmp))
    # RGB TIFF, uncompressed, and LZW-compressed
    tif = scene(30, 20, rng)
    tif.save(os.path.join(out, "rgb.tif"))
    expect("rgb", np.asarray(tif))
    lzw = scene(64, 48, rng)
    lzw.save(os.path.join(out, "rgb_lzw.tif"), compression="tiff_lzw")
    expect("rgb_lzw", np.asarray(lzw))
    # RGBA whose transparent pixels store black, as many cut-out product photos do
    cutout = np.asarray(scene(40, 30, rng)).copy()
    alpha = np.full((30, 40), 255, np.uint8)
    alpha[:, :12] = 0
    alpha[:, 12:20] = rng.integers(1, 255, (30, 8), dtype=np.uint8)
    cutout[:, :12] = 0
    Image.fromarray(np.dstack([cutout, alpha]), "RGBA").save(os.path.join(out, "rgba_cutout.png"))
    expect("rgba_cutout", over_white(cutout, alpha))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    rng = np.random.default_rng(SEED)
    parity_images(os.path.join(sys.argv[1], "parity"), rng)
    decode_images(os.path.join(sys.argv[1], "decode"), rng)


if __name__ == "__main__":
    main()
