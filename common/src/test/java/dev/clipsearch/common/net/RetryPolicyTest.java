package dev.clipsearch.common.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final RetryPolicy policy =
      new RetryPolicy(10, Duration.ofMillis(500), Duration.ofSeconds(4));

  @Test
  void backoff_doubles_from_the_initial_wait_up_to_the_cap() {
    assertEquals(
        List.of(
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(4)),
        List.of(
            policy.backoffAfter(1),
            policy.backoffAfter(2),
            policy.backoffAfter(3),
            policy.backoffAfter(4),
            policy.backoffAfter(5)));
  }

  @Test
  void a_cap_between_two_doublings_is_reached_exactly() {
    RetryPolicy odd = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(5));
    assertEquals(Duration.ofSeconds(4), odd.backoffAfter(3));
    assertEquals(Duration.ofSeconds(5), odd.backoffAfter(4));
  }

  @Test
  void the_wait_stays_capped_however_many_attempts_failed() {
    // a plain 500 ms << (attempt - 1) overflows long before attempt 100
    assertEquals(Duration.ofSeconds(4), policy.backoffAfter(64));
    assertEquals(Duration.ofSeconds(4), policy.backoffAfter(Integer.MAX_VALUE));
  }

  @Test
  void jitter_stays_between_half_the_backoff_and_the_backoff_and_does_spread() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    for (int attempt = 1; attempt <= 6; attempt++) {
      Duration ceiling = policy.backoffAfter(attempt);
      Duration floor = ceiling.dividedBy(2);
      Duration least = ceiling;
      Duration most = Duration.ZERO;
      for (int i = 0; i < 2_000; i++) {
        Duration wait = policy.jitteredBackoffAfter(attempt, random);
        assertTrue(
            wait.compareTo(floor) >= 0 && wait.compareTo(ceiling) <= 0,
            "attempt "
                + attempt
                + ": "
                + wait
                + " outside ["
                + floor
                + ", "
                + ceiling
                + "], seed "
                + seed);
        least = wait.compareTo(least) < 0 ? wait : least;
        most = wait.compareTo(most) > 0 ? wait : most;
      }
      // 2,000 uniform draws cover both quarters of the range (a miss has odds near 2^-830)
      Duration quarter = ceiling.minus(floor).dividedBy(4);
      assertTrue(least.compareTo(floor.plus(quarter)) < 0, "lowest " + least + ", seed " + seed);
      assertTrue(most.compareTo(ceiling.minus(quarter)) > 0, "highest " + most + ", seed " + seed);
    }
  }

  @Test
  void jitter_with_no_backoff_is_no_wait() {
    RetryPolicy none = new RetryPolicy(3, Duration.ZERO, Duration.ZERO);
    assertEquals(Duration.ZERO, none.jitteredBackoffAfter(2, new Random(1)));
  }

  @Test
  void bad_settings_are_refused_with_what_was_wrong() {
    IllegalArgumentException attempts =
        assertThrows(
            IllegalArgumentException.class,
            () -> new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(2)));
    assertTrue(attempts.getMessage().contains("maxAttempts"), attempts.getMessage());
    IllegalArgumentException order =
        assertThrows(
            IllegalArgumentException.class,
            () -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertTrue(order.getMessage().contains("initialBackoff <= maxBackoff"), order.getMessage());
    assertThrows(IllegalArgumentException.class, () -> policy.backoffAfter(0));
  }
}
