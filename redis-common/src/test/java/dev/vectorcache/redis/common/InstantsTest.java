package dev.vectorcache.redis.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast instant reader agrees with {@link Instant#parse} on every form the codec writes. */
class InstantsTest {
  @Test
  void readsWhatInstantToStringWritesAtEveryPrecision() {
    Random r = new Random(3);
    long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    for (int i = 0; i < 20_000; i++) {
      long seconds = min + (long) (r.nextDouble() * (max - min));
      int nanos =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> r.nextInt(1000) * 1_000_000;
            case 2 -> r.nextInt(1_000_000) * 1_000;
            default -> r.nextInt(1_000_000_000);
          };
      Instant t = Instant.ofEpochSecond(seconds, nanos);
      assertThat(Instants.parse(t.toString())).as(t.toString()).isEqualTo(t);
    }
  }

  @Test
  void otherFormsFallBackToTheFormatterWhichReadsOrRefusesThem() {
    assertThat(Instants.parse("+10000-01-01T00:00:00Z"))
        .isEqualTo(Instant.parse("+10000-01-01T00:00:00Z"));
    // the formatter reads 24:00 as the next midnight; so does the fallback
    assertThat(Instants.parse("2026-12-01T24:00:00Z"))
        .isEqualTo(Instant.parse("2026-12-02T00:00:00Z"));
    assertThat(Instants.parse("2026-12-01T06:18:15.Z"))
        .isEqualTo(Instant.parse("2026-12-01T06:18:15Z"));
    assertThat(Instants.parse("2026-12-01T06:18:15.5Z"))
        .isEqualTo(Instant.parse("2026-12-01T06:18:15.500Z"));
    for (String bad :
        new String[] {
          "2026-02-30T00:00:00Z",
          "2026-12-0xT06:18:15Z",
          "yesterday",
          "2026-12-01T06:18:15.1234567890Z"
        }) {
      assertThatThrownBy(() -> Instants.parse(bad)).as(bad).isInstanceOf(DateTimeException.class);
    }
  }
}
