package dev.clipsearch.indexer.index.search;

import dev.clipsearch.indexer.index.IndexSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * BM25 queries over a product's text: title, description, brand and category. Each query term is
 * looked up in every field (best field wins, others add a little: a dis-max with tie-breaker), and
 * the terms' scores add up. Terms are analysed exactly as the index analysed the fields. Public so
 * that other stores (SolrCloud) build the same query from the same terms, weights and tie-breaker.
 */
public final class LexicalQueries {

  /** Field weights: a word in the title says more about a product than one in its description. */
  public static final Map<String, Float> FIELD_BOOSTS =
      Map.of(
          IndexSchema.TITLE, 2.0f,
          IndexSchema.BRAND_TEXT, 1.5f,
          IndexSchema.CATEGORY_TEXT, 1.0f,
          IndexSchema.DESCRIPTION, 0.5f);

  /** The text fields searched, in a fixed order. */
  public static final List<String> FIELDS =
      List.of(
          IndexSchema.TITLE,
          IndexSchema.BRAND_TEXT,
          IndexSchema.CATEGORY_TEXT,
          IndexSchema.DESCRIPTION);

  /** How much the fields other than the best one add to a term's score (dis-max tie-breaker). */
  public static final float TIE_BREAKER = 0.1f;

  private final Analyzer analyzer = IndexSchema.analyzer();

  /** The analysed, de-duplicated terms of a text, at most {@code maxTerms}. */
  public List<String> terms(String text, int maxTerms) {
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream stream = analyzer.tokenStream(IndexSchema.TITLE, text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken() && terms.size() < maxTerms) {
        terms.add(term.toString());
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException("analysing a query cannot fail on a string", e);
    }
    return new ArrayList<>(terms);
  }

  /** The BM25 query of a text's first {@code maxTerms} terms; matches nothing when it has none. */
  Query query(String text, int maxTerms) {
    List<String> terms = terms(text, maxTerms);
    if (terms.isEmpty()) {
      return new MatchNoDocsQuery("no searchable term in the query");
    }
    BooleanQuery.Builder builder = new BooleanQuery.Builder();
    for (String term : terms) {
      List<Query> perField = new ArrayList<>(FIELDS.size());
      for (String field : FIELDS) {
        perField.add(new BoostQuery(new TermQuery(new Term(field, term)), FIELD_BOOSTS.get(field)));
      }
      builder.add(new DisjunctionMaxQuery(perField, TIE_BREAKER), BooleanClause.Occur.SHOULD);
    }
    return builder.build();
  }
}
