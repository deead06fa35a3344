package dev.vectorcache.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.util.Set;

/** Reads meters by name and tags, failing clearly when one is missing. */
final class MeterAssertions {
  private MeterAssertions() {}

  static Counter counter(MeterRegistry registry, String name, String... tags) {
    Counter c = registry.find(name).tags(tags).counter();
    assertThat(c).as("counter %s %s", name, String.join(",", tags)).isNotNull();
    return c;
  }

  static double count(MeterRegistry registry, String name, String... tags) {
    return counter(registry, name, tags).count();
  }

  static Timer timer(MeterRegistry registry, String name, String... tags) {
    Timer t = registry.find(name).tags(tags).timer();
    assertThat(t).as("timer %s %s", name, String.join(",", tags)).isNotNull();
    return t;
  }

  static DistributionSummary summary(MeterRegistry registry, String name, String... tags) {
    DistributionSummary s = registry.find(name).tags(tags).summary();
    assertThat(s).as("summary %s %s", name, String.join(",", tags)).isNotNull();
    return s;
  }

  static double gauge(MeterRegistry registry, String name, String... tags) {
    Gauge g = registry.find(name).tags(tags).gauge();
    assertThat(g).as("gauge %s %s", name, String.join(",", tags)).isNotNull();
    return g.value();
  }

  /**
   * Every meter is named {@code vectorcache.*} and tagged only with keys from {@code allowedKeys};
   * no tag value is one of {@code forbiddenValues} (keys, scopes, texts the test used).
   */
  static void tagsAreBounded(
      MeterRegistry registry, Set<String> allowedKeys, Set<String> forbiddenValues) {
    assertThat(registry.getMeters()).isNotEmpty();
    for (Meter m : registry.getMeters()) {
      assertThat(m.getId().getName()).startsWith("vectorcache.");
      for (Tag t : m.getId().getTags()) {
        assertThat(t.getKey()).as("a tag key of %s", m.getId()).isIn(allowedKeys);
        assertThat(t.getValue()).as("a tag value of %s", m.getId()).isNotIn(forbiddenValues);
      }
    }
  }
}
