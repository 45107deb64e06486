package dev.clipsearch.indexer.solr;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Solr nodes clipsearch talks to: one base URL ({@code http://127.0.0.1:8983/solr}) or a
 * comma-separated list of them. Every node of a SolrCloud cluster answers every request (it
 * forwards to the shards that hold the data), so the list is only for failover.
 *
 * @param urls the node base URLs, without a trailing slash, in the order given
 */
public record SolrNodes(List<URI> urls) {

  public SolrNodes {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no Solr URL given");
    }
    urls = List.copyOf(urls);
  }

  /**
   * Parses {@code --solr}: one URL or a comma-separated list.
   *
   * @throws IllegalArgumentException naming the bad entry when one is not an http(s) URL with a
   *     host
   */
  public static SolrNodes parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "no Solr URL given: expected a node's base URL such as http://127.0.0.1:8983/solr");
    }
    List<URI> urls = new ArrayList<>();
    for (String part : text.split(",")) {
      String entry = part.strip();
      if (entry.isEmpty()) {
        continue;
      }
      urls.add(parseOne(entry));
    }
    return new SolrNodes(urls);
  }

  private static URI parseOne(String entry) {
    URI uri;
    try {
      uri = new URI(entry);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "bad Solr URL '"
              + entry
              + "': "
              + e.getMessage()
              + " (expected e.g. http://host:8983/solr)",
          e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "bad Solr URL '"
              + entry
              + "': it must start with http:// or https:// (e.g. http://host:8983/solr)");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException(
          "bad Solr URL '" + entry + "': it has no host name (e.g. http://host:8983/solr)");
    }
    if (uri.getQuery() != null || uri.getFragment() != null) {
      throw new IllegalArgumentException(
          "bad Solr URL '"
              + entry
              + "': give the node's base URL without ? or # (e.g. http://host:8983/solr)");
    }
    String text = uri.toString();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    return URI.create(text);
  }

  /** The URLs as given to {@link #parse}, comma-separated. */
  @Override
  public String toString() {
    return String.join(",", urls.stream().map(URI::toString).toList());
  }
}
