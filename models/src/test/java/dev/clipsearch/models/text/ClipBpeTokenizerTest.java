package dev.clipsearch.models.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clipsearch.models.testing.RandomSeed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Behaviour of {@link ClipBpeTokenizer} beyond the reference ids: limits, bad input, threads. */
@ExtendWith(RandomSeed.Extension.class)
class ClipBpeTokenizerTest {

  private static final String[] PIECES = {
    "red",
    "shoe",
    "s",
    "leather",
    "Wallet",
    "ÉTÉ",
    "naïve",
    "北京",
    "кожаная",
    "👟",
    "🇫🇷",
    "&amp;",
    "&lt;b&gt;",
    "&#39;",
    "'s",
    "'ll",
    "don't",
    "  ",
    "\t",
    "\n",
    "\u00a0",
    "-",
    "…",
    "123",
    "4.5",
    "½",
    "ΟΔΟΣ",
    "İ",
    "x\u0345",
    "<|endoftext|>",
    "supercalifragilistic",
    "e\u0301"
  };

  private static ClipBpeTokenizer tokenizer;
  private static ClipBpeTokenizer.Vocabulary vocabulary;

  @BeforeAll
  static void load() {
    tokenizer = ClipBpeTokenizer.fromMergesFile(TextFixtures.clipVocab());
    vocabulary = ClipBpeTokenizer.readMergesFile(TextFixtures.clipVocab());
  }

  @Test
  void max_length_below_two_is_rejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> tokenizer.encode("a cat", 1));
    assertEquals("maxLength must be at least 2 (the start and end tokens), got 1", e.getMessage());
  }

  @Test
  void max_length_two_keeps_only_start_and_end() {
    int sot = TextFixtures.clipFixtures().get("sot").asInt();
    int eot = TextFixtures.clipFixtures().get("eot").asInt();
    assertArrayEquals(new int[] {sot, eot}, tokenizer.encode("a photo of a cat", 2));
  }

  @Test
  void null_text_is_rejected() {
    assertThrows(NullPointerException.class, () -> tokenizer.encode(null, 77));
  }

  @Test
  void truncation_equals_cutting_the_full_encoding_on_random_texts(RandomSeed seed) {
    Random random = seed.random();
    for (int i = 0; i < 300; i++) {
      String text = randomText(random, 1 + random.nextInt(60));
      int[] full = tokenizer.encode(text, Integer.MAX_VALUE);
      for (int maxLength : new int[] {2, 3, 10, 76, 77, 78}) {
        int[] expected = full;
        if (full.length > maxLength) {
          expected = Arrays.copyOf(full, maxLength);
          expected[maxLength - 1] = full[full.length - 1];
        }
        assertArrayEquals(
            expected,
            tokenizer.encode(text, maxLength),
            seed + ", text " + i + " " + TextFixtures.label(text) + ", max " + maxLength);
      }
    }
  }

  @Test
  void merges_match_a_plain_transcription_of_the_reference_loop_on_random_words(RandomSeed seed) {
    NaiveBpe naive = new NaiveBpe(vocabulary);
    Random random = seed.random();
    String[] alphabets = {"aeinrst", "abcdefghijklmnopqrstuvwxyz", "абвгдежзиклмнопрстуфхцчшщыэюя"};
    for (int i = 0; i < 2000; i++) {
      String alphabet = alphabets[i % alphabets.length];
      StringBuilder word = new StringBuilder();
      int length = 1 + random.nextInt(40);
      for (int k = 0; k < length; k++) {
        word.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      int[] ids = tokenizer.encode(word.toString(), Integer.MAX_VALUE);
      assertArrayEquals(
          naive.encode(word.toString()),
          Arrays.copyOfRange(ids, 1, ids.length - 1),
          seed + ", word " + word);
    }
  }

  @Test
  void concurrent_encoding_gives_the_sequential_results(RandomSeed seed) throws Exception {
    Random random = seed.random();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      texts.add(randomText(random, 1 + random.nextInt(30)));
    }
    ClipBpeTokenizer fresh = ClipBpeTokenizer.fromMergesFile(TextFixtures.clipVocab());
    List<int[]> sequential = new ArrayList<>();
    for (String text : texts) {
      sequential.add(tokenizer.encode(text, 77));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<int[]>>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(
            pool.submit(
                () -> {
                  List<int[]> ids = new ArrayList<>();
                  for (String text : texts) {
                    ids.add(fresh.encode(text, 77));
                  }
                  return ids;
                }));
      }
      for (Future<List<int[]>> result : results) {
        List<int[]> ids = result.get(60, TimeUnit.SECONDS);
        for (int i = 0; i < texts.size(); i++) {
          assertArrayEquals(sequential.get(i), ids.get(i), seed + ", text " + i);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void a_100k_character_word_is_tokenized_and_truncated() {
    String word = "ab".repeat(50_000);
    int[] ids = tokenizer.encode(word, 77);
    assertEquals(77, ids.length);
    assertEquals(TextFixtures.clipFixtures().get("eot").asInt(), ids[76]);
    int[] full = tokenizer.encode(word, Integer.MAX_VALUE);
    assertArrayEquals(Arrays.copyOf(full, 76), Arrays.copyOf(ids, 76));
  }

  @Test
  void unpaired_surrogate_is_encoded_like_the_replacement_of_its_utf8_encoder() {
    // Python could not even encode such a string; Java's UTF-8 encoder writes '?' for it.
    assertArrayEquals(tokenizer.encode("shoe?", 77), tokenizer.encode("shoe\uD83D", 77));
  }

  private static String randomText(Random random, int pieces) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < pieces; i++) {
      text.append(PIECES[random.nextInt(PIECES.length)]);
      if (random.nextInt(3) > 0) {
        text.append(' ');
      }
    }
    return text.toString();
  }

  /**
   * The reference's merge loop written out on strings: merge every occurrence of the adjacent pair
   * with the lowest rank, left to right, until no pair has a rank.
   */
  private static final class NaiveBpe {
    private final Map<String, Integer> ids;
    private final Map<String, Integer> ranks = new HashMap<>();

    NaiveBpe(ClipBpeTokenizer.Vocabulary vocabulary) {
      this.ids = vocabulary.ids();
      List<String[]> merges = vocabulary.merges();
      for (int rank = 0; rank < merges.size(); rank++) {
        ranks.put(merges.get(rank)[0] + " " + merges.get(rank)[1], rank);
      }
    }

    int[] encode(String word) {
      List<String> symbols = new ArrayList<>();
      for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
        symbols.add(byteSymbol(b & 0xFF));
      }
      int last = symbols.size() - 1;
      symbols.set(last, symbols.get(last) + "</w>");
      while (symbols.size() > 1) {
        String best = null;
        int bestRank = Integer.MAX_VALUE;
        for (int i = 0; i + 1 < symbols.size(); i++) {
          Integer rank = ranks.get(symbols.get(i) + " " + symbols.get(i + 1));
          if (rank != null && rank < bestRank) {
            bestRank = rank;
            best = symbols.get(i) + " " + symbols.get(i + 1);
          }
        }
        if (best == null) {
          break;
        }
        List<String> merged = new ArrayList<>();
        for (int i = 0; i < symbols.size(); i++) {
          if (i + 1 < symbols.size() && best.equals(symbols.get(i) + " " + symbols.get(i + 1))) {
            merged.add(symbols.get(i) + symbols.get(i + 1));
            i++;
          } else {
            merged.add(symbols.get(i));
          }
        }
        symbols = merged;
      }
      return symbols.stream().mapToInt(ids::get).toArray();
    }

    /** GPT-2's byte table, written out independently of the main code. */
    private static String byteSymbol(int b) {
      boolean printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
      if (printable) {
        return Character.toString(b);
      }
      int n = 0;
      for (int x = 0; x < b; x++) {
        boolean p = (x >= 33 && x <= 126) || (x >= 161 && x <= 172) || (x >= 174 && x <= 255);
        if (!p) {
          n++;
        }
      }
      return Character.toString(256 + n);
    }
  }
}
