package dev.clipsearch.models.onnx;

import dev.clipsearch.common.io.Digests;
import dev.clipsearch.models.ModelLoadException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;

/**
 * A short content fingerprint of the files that determine a model's vectors, cheap enough to
 * compute at every load: for each file its name, its size and the SHA-256 of its first and last MiB
 * (all of it when smaller). Changing weights, variant, tokenizer or configuration changes it.
 */
final class ModelFingerprint {

  /** Hex digits kept: 48 bits, plenty to tell apart the models one installation sees. */
  static final int LENGTH = 12;

  private static final int EDGE = 1 << 20;

  private ModelFingerprint() {}

  static String of(List<ModelSource> files) {
    MessageDigest digest = Digests.sha256();
    for (ModelSource file : files) {
      digest.update(file.fileName().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      if (file instanceof ModelSource.FileSource f) {
        updateWithEdges(digest, f);
      } else {
        byte[] all = file.readAllBytes();
        digest.update(ByteBuffer.allocate(Long.BYTES).putLong(all.length).flip());
        digest.update(all, 0, Math.min(EDGE, all.length));
        digest.update(all, Math.max(0, all.length - EDGE), Math.min(EDGE, all.length));
      }
    }
    return Digests.hex(digest.digest()).substring(0, LENGTH);
  }

  private static void updateWithEdges(MessageDigest digest, ModelSource.FileSource file) {
    try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
      long size = channel.size();
      digest.update(ByteBuffer.allocate(Long.BYTES).putLong(size).flip());
      digest.update(read(channel, 0, (int) Math.min(EDGE, size)));
      digest.update(read(channel, Math.max(0, size - EDGE), (int) Math.min(EDGE, size)));
    } catch (IOException e) {
      throw new ModelLoadException(file.describe() + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static ByteBuffer read(FileChannel channel, long position, int length)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        break;
      }
    }
    return buffer.flip();
  }
}
