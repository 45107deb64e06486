package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The page's files as the searcher serves them from the classpath folder {@code /web}: every file
 * the page refers to is there, every script is loaded, every name a module imports is exported by
 * the module it names, and the script finds every element it looks up. The page's behaviour is
 * tested in a real browser against the real server, in the searcher module ({@code
 * dev.clipsearch.searcher.browser}), which depends on this one.
 */
class PageResourcesTest {

  static final String ROOT = "/web/";

  static String read(String name) throws IOException {
    try (InputStream in = PageResourcesTest.class.getResourceAsStream(ROOT + name)) {
      assertNotNull(in, "missing classpath resource " + ROOT + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static List<String> all(Pattern pattern, String text) {
    List<String> out = new ArrayList<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** A static import: what it binds ({@code * as ns} or {@code { a, b as c }}) and from where. */
  static final Pattern IMPORT =
      Pattern.compile("(?m)^import\\s+([^;]*?)\\s+from\\s+'\\./([^']+)';");

  /** A name a module exports by declaring it. */
  static final Pattern EXPORT =
      Pattern.compile(
          "(?m)^export\\s+(?:async\\s+)?(?:function\\*?|const|let|var|class)\\s+([A-Za-z_$][\\w$]*)");

  /** The scripts reachable from index.html through static imports. */
  static Set<String> scripts() throws IOException {
    Set<String> seen = new LinkedHashSet<>();
    List<String> todo =
        new ArrayList<>(
            all(Pattern.compile("<script[^>]*\\ssrc=\"([^\"]+)\""), read("index.html")));
    while (!todo.isEmpty()) {
      String name = todo.remove(todo.size() - 1);
      if (seen.add(name)) {
        todo.addAll(imports(name).keySet());
      }
    }
    return seen;
  }

  /**
   * The modules {@code script} imports statically, each with what it binds: {@code * as ns} or the
   * named imports between braces.
   */
  static Map<String, String> imports(String script) throws IOException {
    String text = read(script);
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = IMPORT.matcher(text);
    while (m.find()) {
      out.merge(m.group(2), m.group(1), (a, b) -> a + ", " + b);
    }
    for (String bare : all(Pattern.compile("(?m)^import\\s+'\\./([^']+)'"), text)) {
      out.putIfAbsent(bare, "");
    }
    return out;
  }

  /** The names {@code script} exports. */
  static Set<String> exports(String script) throws IOException {
    return new TreeSet<>(all(EXPORT, read(script)));
  }

  /** The names {@code script} uses from {@code from}: named imports, or {@code ns.member} uses. */
  static Set<String> namesUsed(String script, String from) throws IOException {
    String binding = imports(script).get(from).strip();
    Set<String> used = new TreeSet<>();
    Matcher namespace = Pattern.compile("\\*\\s+as\\s+([A-Za-z_$][\\w$]*)").matcher(binding);
    if (namespace.matches()) {
      String ns = Pattern.quote(namespace.group(1));
      used.addAll(
          all(Pattern.compile("(?<![\\w$./-])" + ns + "\\.([A-Za-z_$][\\w$]*)"), code(script)));
    } else if (binding.startsWith("{") && binding.endsWith("}")) {
      for (String name : binding.substring(1, binding.length() - 1).split(",")) {
        if (!name.isBlank()) {
          used.add(name.strip().split("\\s+as\\s+")[0]);
        }
      }
    } else {
      throw new AssertionError(
          script + " imports " + from + " as `" + binding + "`, which this test cannot read");
    }
    return used;
  }

  /** The text of {@code script} without its comments (which may name modules, as prose). */
  static String code(String script) throws IOException {
    return read(script).replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("(?m)(^|\\s)//.*$", "$1");
  }

  /** The {@code .js} files in the page's folder. */
  static Set<String> scriptFiles() throws IOException, URISyntaxException {
    URL folder = PageResourcesTest.class.getResource(ROOT);
    assertNotNull(folder, "missing classpath folder " + ROOT);
    try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".js"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  @Test
  void every_file_the_page_links_to_is_packaged() throws IOException {
    String html = read("index.html");
    List<String> refs = all(Pattern.compile("\\s(?:src|href)=\"([^\"#:]+)\""), html);
    refs.removeIf(ref -> ref.equals("/") || ref.startsWith("/"));
    assertFalse(refs.isEmpty(), "index.html links no file: the pattern is wrong");
    for (String ref : refs) {
      read(ref);
    }
  }

  @Test
  void every_module_the_page_imports_is_packaged() throws IOException {
    Set<String> scripts = scripts();
    assertTrue(
        scripts.containsAll(
            List.of(
                "app.js",
                "api.js",
                "dom.js",
                "state.js",
                "navigation.js",
                "feedback.js",
                "search-box.js",
                "results.js",
                "product.js",
                "filters.js",
                "classify.js",
                "uploads.js",
                "query-images.js",
                "server-info.js")),
        scripts.toString());
  }

  @Test
  void every_script_in_the_folder_is_loaded_by_the_page() throws Exception {
    Set<String> unused = scriptFiles();
    unused.removeAll(scripts());
    assertEquals(Set.of(), unused, "scripts in " + ROOT + " that index.html never loads");
  }

  @Test
  void every_name_a_module_imports_is_exported_by_that_module() throws IOException {
    int checked = 0;
    for (String script : scripts()) {
      for (String from : imports(script).keySet()) {
        Set<String> missing = namesUsed(script, from);
        checked += missing.size();
        missing.removeAll(exports(from));
        assertEquals(Set.of(), missing, script + " uses names that " + from + " does not export");
      }
    }
    assertTrue(checked > 20, "only " + checked + " imported names found: the patterns are wrong");
  }

  @Test
  void modules_do_not_import_each_other_in_a_cycle() throws IOException {
    // Depth-first from the entry point; a module met again while on the path closes a cycle.
    Set<String> done = new HashSet<>();
    Deque<String> path = new ArrayDeque<>();
    for (String entry :
        all(Pattern.compile("<script[^>]*\\ssrc=\"([^\"]+)\""), read("index.html"))) {
      assertNoCycle(entry, path, done);
    }
  }

  static void assertNoCycle(String script, Deque<String> path, Set<String> done)
      throws IOException {
    if (done.contains(script)) {
      return;
    }
    assertFalse(
        path.contains(script), "import cycle: " + String.join(" -> ", path) + " -> " + script);
    path.addLast(script);
    for (String next : imports(script).keySet()) {
      assertNoCycle(next, path, done);
    }
    path.removeLast();
    done.add(script);
  }

  @Test
  void every_element_the_script_looks_up_exists_once() throws IOException {
    String html = read("index.html");
    List<String> ids = all(Pattern.compile("\\sid=\"([^\"]+)\""), html);
    Set<String> duplicates = new TreeSet<>();
    Set<String> unique = new HashSet<>();
    for (String id : ids) {
      if (!unique.add(id)) {
        duplicates.add(id);
      }
    }
    assertEquals(Set.of(), duplicates, "ids used more than once in index.html");

    Set<String> looked = new TreeSet<>();
    for (String script : scripts()) {
      looked.addAll(all(Pattern.compile("\\$\\('([^']+)'\\)"), read(script)));
    }
    assertFalse(looked.isEmpty(), "the script looks up no element: the pattern is wrong");
    looked.removeAll(unique);
    assertEquals(Set.of(), looked, "elements the script looks up that index.html lacks");
  }

  @Test
  void every_label_points_at_an_existing_control() throws IOException {
    String html = read("index.html");
    Set<String> ids = new HashSet<>(all(Pattern.compile("\\sid=\"([^\"]+)\""), html));
    for (String attribute :
        List.of("for", "aria-controls", "aria-labelledby", "aria-describedby")) {
      for (String target : all(Pattern.compile("\\s" + attribute + "=\"([^\"]+)\""), html)) {
        assertTrue(ids.contains(target), attribute + "=\"" + target + "\" names no element");
      }
    }
  }
}
