package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The page's files as the searcher serves them from the classpath folder {@code /web}: every file
 * the page refers to is there, and the script finds every element it looks up. The page's behaviour
 * is tested in a real browser against the real server, in the searcher module ({@code
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

  /** The scripts reachable from index.html through static imports. */
  static Set<String> scripts() throws IOException {
    Set<String> seen = new LinkedHashSet<>();
    List<String> todo =
        new ArrayList<>(
            all(Pattern.compile("<script[^>]*\\ssrc=\"([^\"]+)\""), read("index.html")));
    while (!todo.isEmpty()) {
      String name = todo.remove(todo.size() - 1);
      if (seen.add(name)) {
        todo.addAll(
            all(
                Pattern.compile("(?m)^\\s*(?:import|export)\\s[^;]*?from\\s+'\\./([^']+)'"),
                read(name)));
        todo.addAll(all(Pattern.compile("(?m)^import\\s+'\\./([^']+)'"), read(name)));
      }
    }
    return seen;
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
        scripts.containsAll(List.of("app.js", "api.js", "dom.js", "state.js", "query-images.js")),
        scripts.toString());
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
