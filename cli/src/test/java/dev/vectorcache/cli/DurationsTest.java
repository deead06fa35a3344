package dev.vectorcache.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void shortAndIsoForms() {
    assertThat(Durations.parse("500ms", "t")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("5s", "t")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Durations.parse("1h30m", "t")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("2d", "t")).isEqualTo(Duration.ofDays(2));
    assertThat(Durations.parse("PT1H", "t")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("pt30s", "t")).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void rejectsWithTheAcceptedForms() {
    assertThatThrownBy(() -> Durations.parse("5 parsecs", "--timeout"))
        .hasMessageContaining("--timeout")
        .hasMessageContaining("5s")
        .hasMessageContaining("\"5 parsecs\"");
    assertThatThrownBy(() -> Durations.parse("0s", "ttl")).hasMessageContaining("positive");
  }

  @Test
  void humanUsesTheShortInputFormOnly() {
    assertThat(Durations.human(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(Durations.human(Duration.ofSeconds(1))).isEqualTo("1s");
    assertThat(Durations.human(Duration.ofNanos(999_400_000))).isEqualTo("999ms");
    assertThat(Durations.human(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(Durations.human(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(Durations.human(Duration.ofNanos(120_000))).isEqualTo("0.12ms");
    // what it prints parses back
    assertThat(Durations.parse(Durations.human(Duration.ofMinutes(90)), "t"))
        .isEqualTo(Duration.ofMinutes(90));
  }
}
