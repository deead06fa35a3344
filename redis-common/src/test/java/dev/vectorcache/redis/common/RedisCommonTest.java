package dev.vectorcache.redis.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RedisCommonTest {
  @Test
  void jsonKeepsNumberKindsAndNanosecondInstants() {
    Map<String, Object> md = new LinkedHashMap<>();
    md.put("two", 2L);
    md.put("twoPointZero", 2.0);
    md.put("list", Arrays.asList(1L, 1.0, null, "s"));
    md.put("min", Long.MIN_VALUE);
    MetadataEntry e =
        new MetadataEntry("k", md, 9, Instant.parse("2030-01-01T00:00:00.123456789Z"));
    String json = MetadataJson.encode(e);
    assertThat(json).contains("\"twoPointZero\":2.0").contains("\"two\":2,");
    MetadataEntry back = MetadataJson.decodeEntry(json);
    assertThat(back).isEqualTo(e);
    assertThat(back.metadata().get("two")).isInstanceOf(Long.class);
    assertThat(back.metadata().get("twoPointZero")).isInstanceOf(Double.class);
    assertThat((List<?>) back.metadata().get("list")).element(1).isInstanceOf(Double.class);
    MetadataEvent ev = new MetadataEvent(MetadataEvent.Type.EXPIRED, "c", "k", 3, e.expiresAt());
    assertThat(MetadataJson.decodeEvent(MetadataJson.encode(ev))).isEqualTo(ev);
    assertThat(MetadataJson.decodeEvent("not json")).isNull();
  }

  @Test
  void entriesAreReadInAnyFieldOrderAndWhatIsNotAnEntryIsRefused() {
    MetadataEntry e = new MetadataEntry("k", Map.of("a", List.of(1L, Map.of("b", "c"))), 4, null);
    assertThat(
            MetadataJson.decodeEntry(
                "{\"metadata\":{\"a\":[1,{\"b\":\"c\"}]},\"extra\":{\"x\":[1]},"
                    + "\"version\":4,\"key\":\"k\",\"expiresAt\":null}"))
        .isEqualTo(e);
    for (String bad :
        new String[] {
          "[]",
          "{\"version\":1,\"metadata\":{}}",
          "{\"key\":\"k\",\"metadata\":{}}",
          "{\"key\":\"k\",\"version\":1}",
          "{\"key\":\"k\",\"version\":1,\"metadata\":{},\"expiresAt\":\"soon\"}",
          "{\"key\":\"k\",\"version\":1,\"metadata\":{\"a\":"
        }) {
      assertThatThrownBy(() -> MetadataJson.decodeEntry(bad))
          .as(bad)
          .isInstanceOf(BackendException.class)
          .hasMessageContaining("not a vectorcache metadata entry");
    }
  }

  @Test
  void ttlIsValidatedAndRoundedUpToWholeMilliseconds() {
    assertThat(RedisTtl.millis(Duration.ofNanos(1))).isEqualTo(1);
    assertThat(RedisTtl.millis(Duration.ofMillis(1500))).isEqualTo(1500);
    assertThatThrownBy(() -> RedisTtl.millis(Duration.ZERO))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("ttl");
    assertThatThrownBy(() -> RedisTtl.millis(null)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> RedisTtl.millis(Duration.ofSeconds(Long.MAX_VALUE)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("64-bit milliseconds");
  }

  @Test
  void listenersGetEventsAFailingListenerDoesNotStopOthersAndCloseRunsOnce() {
    ChannelListeners channel = new ChannelListeners();
    List<MetadataEvent> got = new ArrayList<>();
    channel
        .listeners()
        .add(
            e -> {
              throw new IllegalStateException("listener failure (expected by the test)");
            });
    channel.listeners().add(got::add);
    MetadataEvent ev =
        new MetadataEvent(
            MetadataEvent.Type.STORED, "c", "k", 1, Instant.parse("2030-01-01T00:00:00Z"));

    channel.deliver(MetadataJson.encode(ev));
    channel.deliver("{not an event");

    assertThat(got).containsExactly(ev);
    AtomicInteger closes = new AtomicInteger();
    Subscription s = ChannelListeners.subscription("c", closes::incrementAndGet);
    s.close();
    s.close();
    assertThat(closes).hasValue(1);
    assertThat(s.channel()).isEqualTo("c");
  }
}
