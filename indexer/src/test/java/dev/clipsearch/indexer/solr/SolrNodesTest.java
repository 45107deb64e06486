package dev.clipsearch.indexer.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class SolrNodesTest {

  @Test
  void parses_one_url_and_drops_the_trailing_slash() {
    assertEquals(
        List.of(URI.create("http://127.0.0.1:8983/solr")),
        SolrNodes.parse("http://127.0.0.1:8983/solr/").urls());
  }

  @Test
  void parses_a_comma_separated_list_in_order() {
    SolrNodes nodes = SolrNodes.parse(" http://a:8983/solr , https://b:8984/solr,");
    assertEquals(
        List.of(URI.create("http://a:8983/solr"), URI.create("https://b:8984/solr")), nodes.urls());
    assertEquals("http://a:8983/solr,https://b:8984/solr", nodes.toString());
  }

  @Test
  void rejects_urls_that_are_not_http_with_a_host_naming_the_entry() {
    for (String bad :
        List.of("ftp://a/solr", "127.0.0.1:8983/solr", "http:///solr", "http://a/solr?x=1")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> SolrNodes.parse(bad), bad);
      assertTrue(e.getMessage().contains(bad), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> SolrNodes.parse(" , "));
    assertThrows(IllegalArgumentException.class, () -> SolrNodes.parse(""));
  }
}
