package dev.clipsearch.indexer.index;

import dev.clipsearch.indexer.store.StoreSnapshot;
import java.io.IOException;
import java.util.function.Predicate;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * A point-in-time view of the embedded index for lookups by product id, over a Lucene {@link
 * DirectoryReader} (which the searcher also uses for searches). Thread-safe: any number of threads
 * may call {@link #find} at once. Later writes are not visible; close it to release the files it
 * holds.
 */
public final class IndexSnapshot implements StoreSnapshot {

  private final DirectoryReader reader;
  private final String vectorField;
  private final boolean ownsReader;

  IndexSnapshot(DirectoryReader reader, String vectorField) {
    this(reader, vectorField, true);
  }

  private IndexSnapshot(DirectoryReader reader, String vectorField, boolean ownsReader) {
    this.reader = reader;
    this.vectorField = vectorField;
    this.ownsReader = ownsReader;
  }

  /**
   * Lookups over a reader the caller owns (a searcher's {@code SearcherManager} reader): closing
   * the view does not close the reader, and the view must not outlive it.
   */
  public static IndexSnapshot view(DirectoryReader reader, IndexMetadata metadata) {
    return new IndexSnapshot(reader, metadata.vectorField(), false);
  }

  /** The Lucene reader, for searches. */
  public DirectoryReader reader() {
    return reader;
  }

  /** The product with this id, or null when the snapshot has none. */
  @Override
  public LuceneStoredProduct find(String id) throws IOException {
    BytesRef term = new BytesRef(id);
    for (LeafReaderContext context : reader.leaves()) {
      LeafReader leaf = context.reader();
      Terms terms = leaf.terms(IndexSchema.ID);
      if (terms == null) {
        continue;
      }
      TermsEnum termsEnum = terms.iterator();
      if (!termsEnum.seekExact(term)) {
        continue;
      }
      BitSet parents = IndexSchema.productsBitSet().getBitSet(context);
      if (parents == null) {
        continue;
      }
      Bits live = leaf.getLiveDocs();
      PostingsEnum postings = termsEnum.postings(null, PostingsEnum.NONE);
      for (int doc = postings.nextDoc();
          doc != DocIdSetIterator.NO_MORE_DOCS;
          doc = postings.nextDoc()) {
        if (parents.get(doc) && (live == null || live.get(doc))) {
          return load(id, leaf, doc, parents);
        }
      }
    }
    return null;
  }

  private LuceneStoredProduct load(String id, LeafReader leaf, int doc, BitSet parents)
      throws IOException {
    byte[] syncKey = new byte[0];
    BinaryDocValues keys = leaf.getBinaryDocValues(IndexSchema.SYNC_KEY);
    if (keys != null && keys.advanceExact(doc)) {
      BytesRef key = keys.binaryValue();
      syncKey = new byte[key.length];
      System.arraycopy(key.bytes, key.offset, syncKey, 0, key.length);
    }
    int failed = 0;
    NumericDocValues failures = leaf.getNumericDocValues(IndexSchema.FAILED_IMAGES);
    if (failures != null && failures.advanceExact(doc)) {
      failed = (int) failures.longValue();
    }
    return new LuceneStoredProduct(id, syncKey, failed, leaf, doc, parents, vectorField);
  }

  /** Calls {@code action} with the id of every live product, segment by segment. */
  @Override
  public void forEachProductId(Predicate<String> action) throws IOException {
    for (LeafReaderContext context : reader.leaves()) {
      LeafReader leaf = context.reader();
      BitSet parents = IndexSchema.productsBitSet().getBitSet(context);
      SortedSetDocValues ids = leaf.getSortedSetDocValues(IndexSchema.ID);
      if (parents == null || ids == null) {
        continue;
      }
      Bits live = leaf.getLiveDocs();
      for (int doc = parents.nextSetBit(0);
          doc != DocIdSetIterator.NO_MORE_DOCS;
          doc =
              doc + 1 < leaf.maxDoc()
                  ? parents.nextSetBit(doc + 1)
                  : DocIdSetIterator.NO_MORE_DOCS) {
        if ((live == null || live.get(doc)) && ids.advanceExact(doc)) {
          if (!action.test(ids.lookupOrd(ids.nextOrd()).utf8ToString())) {
            return;
          }
        }
      }
    }
  }

  /** Closes the reader, unless this is a {@link #view}. */
  @Override
  public void close() throws IOException {
    if (ownsReader) {
      reader.close();
    }
  }
}
