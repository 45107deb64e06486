package dev.clipsearch.models.onnx;

import dev.clipsearch.models.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where one file of a model comes from: a file (usually inside the model directory) or a resource
 * on the classpath, such as a text tower shipped in a Maven jar.
 */
sealed interface ModelSource permits ModelSource.FileSource, ModelSource.ClasspathSource {

  /** Prefix that marks a manifest entry as a classpath resource name. */
  String CLASSPATH_PREFIX = "classpath:";

  /** The last segment of the name, e.g. {@code tokenizer.json}. */
  String fileName();

  /** The path or {@code classpath:} name, for messages. */
  String describe();

  /** Opens the content; the caller closes the stream. */
  InputStream open() throws IOException;

  /** The whole content; fails with a {@link ModelLoadException} naming the file. */
  default byte[] readAllBytes() {
    try (InputStream in = open()) {
      return in.readAllBytes();
    } catch (NoSuchFileException e) {
      throw new ModelLoadException(describe() + ": file not found", e);
    } catch (IOException e) {
      throw new ModelLoadException(describe() + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** A file on disk. */
  record FileSource(Path path) implements ModelSource {
    @Override
    public String fileName() {
      return path.getFileName().toString();
    }

    @Override
    public String describe() {
      return path.toString();
    }

    @Override
    public InputStream open() throws IOException {
      return Files.newInputStream(path);
    }
  }

  /** A resource found through {@code loader}; {@code resource} has no leading slash. */
  record ClasspathSource(String resource, ClassLoader loader) implements ModelSource {
    @Override
    public String fileName() {
      return resource.substring(resource.lastIndexOf('/') + 1);
    }

    @Override
    public String describe() {
      return CLASSPATH_PREFIX + resource;
    }

    @Override
    public InputStream open() throws IOException {
      InputStream in = loader.getResourceAsStream(resource);
      if (in == null) {
        throw new NoSuchFileException(describe());
      }
      return in;
    }
  }
}
