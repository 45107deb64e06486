package dev.clipsearch.models.hub;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.common.io.AtomicFiles;
import dev.clipsearch.models.hub.InstallReceipt.FileEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A staging directory for one install and its state file. Opening one reuses a directory left by an
 * interrupted run for the same key and deletes stale ones for other keys.
 */
final class InstallStage {

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What a staging directory holds, kept next to it as {@code <dir>.json}. */
  record State(String key, String commit, List<FileEntry> files) {
    State {
      files = List.copyOf(files);
    }
  }

  final Path dir;
  final Path stateFile;
  State state;

  private InstallStage(Path dir, State state) {
    this.dir = dir;
    this.stateFile = dir.resolveSibling(dir.getFileName() + ".json");
    this.state = state;
  }

  static InstallStage open(Path stagingRoot, String name, String key) throws IOException {
    Pattern mine = Pattern.compile(Pattern.quote(name) + "-[0-9a-f]{12}");
    InstallStage chosen = null;
    List<Path> stale = new ArrayList<>();
    try (Stream<Path> entries = Files.list(stagingRoot)) {
      for (Path entry : entries.sorted().toList()) {
        String entryName = entry.getFileName().toString();
        if (Files.isDirectory(entry) && mine.matcher(entryName).matches()) {
          Optional<State> state = readState(entry.resolveSibling(entryName + ".json"));
          if (chosen == null && state.isPresent() && state.get().key().equals(key)) {
            chosen = new InstallStage(entry, state.get());
          } else {
            stale.add(entry);
          }
        } else if (entryName.endsWith(".json")
            && mine.matcher(entryName.substring(0, entryName.length() - 5)).matches()
            && !Files.isDirectory(
                entry.resolveSibling(entryName.substring(0, entryName.length() - 5)))) {
          stale.add(entry);
        }
      }
    }
    for (Path path : stale) {
      deleteRecursively(path);
      Files.deleteIfExists(path.resolveSibling(path.getFileName() + ".json"));
    }
    if (chosen != null) {
      return chosen;
    }
    byte[] random = new byte[6];
    RANDOM.nextBytes(random);
    Path dir = stagingRoot.resolve(name + "-" + HexFormat.of().formatHex(random));
    Files.createDirectory(dir);
    InstallStage stage = new InstallStage(dir, new State(key, null, List.of()));
    stage.save();
    return stage;
  }

  Optional<FileEntry> completed(String path) {
    return state.files().stream().filter(f -> f.path().equals(path)).findFirst();
  }

  void record(FileEntry entry, FileDownloader.Downloaded got) throws IOException {
    List<FileEntry> files = new ArrayList<>(state.files());
    files.removeIf(f -> f.path().equals(entry.path()));
    files.add(entry);
    files.sort(Comparator.comparing(FileEntry::path));
    String commit = state.commit() != null ? state.commit() : got.commit().orElse(null);
    state = new State(state.key(), commit, files);
    save();
  }

  void forget() throws IOException {
    Files.deleteIfExists(stateFile);
  }

  private void save() throws IOException {
    AtomicFiles.write(stateFile, out -> JSON.writeValue(out, state));
  }

  private static Optional<State> readState(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), State.class));
    } catch (IOException e) {
      return Optional.empty(); // a damaged state: the directory is treated as stale
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
