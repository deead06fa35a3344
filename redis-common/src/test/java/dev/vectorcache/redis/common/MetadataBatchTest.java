package dev.vectorcache.redis.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.BatchMetadataWrites.CopyWrite;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The batch encoding and the copy-write script both adapters send. */
class MetadataBatchTest {
  private static final RedisKeys NAMES = new RedisKeys("p:");
  private static final MetadataEntry ENTRY =
      new MetadataEntry("k", Map.of("a", 1L), 1_700_000_000_000_001L, Instant.EPOCH);

  @Test
  void writesAndEventsAreEncodedWithTheStoresNames() {
    MetadataEvent ev = new MetadataEvent(MetadataEvent.Type.STORED, "docs", "k", 3, Instant.EPOCH);
    MetadataBatch b =
        MetadataBatch.prepare(
            NAMES,
            List.of(
                new CopyWrite(ENTRY, Duration.ofNanos(1_500_000), CopyWrite.Condition.IF_NEWER),
                new CopyWrite(ENTRY, null, CopyWrite.Condition.ALWAYS),
                new CopyWrite(ENTRY, Duration.ofSeconds(3), CopyWrite.Condition.IF_SAME_VERSION)),
            List.of(ev));
    MetadataBatch.Write first = b.writes().get(0);
    assertThat(first.key()).isEqualTo("p:k");
    assertThat(first.json()).isEqualTo(MetadataJson.encode(ENTRY));
    assertThat(first.ttlMillis()).isEqualTo(2L); // rounded up, never shorter than asked
    assertThat(first.condition()).isEqualTo(CopyWrite.Condition.IF_NEWER);
    assertThat(first.scripted()).isTrue();
    assertThat(first.scriptArgs())
        .containsExactly(MetadataJson.encode(ENTRY), "1700000000000001", "2", "newer");
    MetadataBatch.Write plain = b.writes().get(1);
    assertThat(plain.ttlMillis()).isNull();
    assertThat(plain.scripted()).isFalse();
    assertThatThrownBy(plain::scriptArgs).isInstanceOf(IllegalStateException.class);
    MetadataBatch.Write same = b.writes().get(2);
    assertThat(same.scripted()).isTrue();
    assertThat(same.scriptArgs())
        .containsExactly(MetadataJson.encode(ENTRY), "1700000000000001", "3000", "same");
    MetadataBatch.Write forever =
        new MetadataBatch.Write("p:k", "{}", 7, null, CopyWrite.Condition.IF_SAME_VERSION);
    assertThat(forever.scriptArgs()).containsExactly("{}", "7", "", "same");
    assertThat(b.events())
        .containsExactly(new MetadataBatch.Publish("p:events:docs", MetadataJson.encode(ev)));
    assertThat(b.isEmpty()).isFalse();
    assertThat(MetadataBatch.prepare(NAMES, List.of(), List.of()).isEmpty()).isTrue();
  }

  @Test
  @SuppressWarnings("NullAway") // nulls on purpose: each must be refused, naming the element
  void badInputIsRefusedNamingTheElement() {
    assertThatThrownBy(() -> MetadataBatch.prepare(NAMES, null, List.of()))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("writes"));
    assertThatThrownBy(() -> MetadataBatch.prepare(NAMES, List.of(), null))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("events"));
    List<CopyWrite> withNull = new ArrayList<>();
    withNull.add(new CopyWrite(ENTRY, null, CopyWrite.Condition.ALWAYS));
    withNull.add(null);
    assertThatThrownBy(() -> MetadataBatch.prepare(NAMES, withNull, List.of()))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("writes[1]"));
    List<MetadataEvent> nullEvent = new ArrayList<>();
    nullEvent.add(null);
    assertThatThrownBy(() -> MetadataBatch.prepare(NAMES, List.of(), nullEvent))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("events[0]"));
    assertThatThrownBy(
            () ->
                MetadataBatch.prepare(
                    NAMES,
                    List.of(new CopyWrite(ENTRY, Duration.ZERO, CopyWrite.Condition.IF_NEWER)),
                    List.of()))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("ttl"));
  }

  @Test
  void theScriptsShaIsTheOneRedisComputes() {
    // SHA-1 of the script text, computed apart from this code (Python's hashlib)
    assertThat(CopyWriteScript.SHA1).isEqualTo("762b8bfc995b153c7cb68255557e869a296abe01");
    assertThat(CopyWriteScript.SOURCE)
        .contains("KEYS[1]")
        .doesNotContain("KEYS[2]")
        .contains(
            "'" + CopyWriteScript.IF_NEWER + "'", "'" + CopyWriteScript.IF_SAME_VERSION + "'");
  }

  @Test
  void repliesAndNoScriptErrorsAreRead() {
    assertThat(CopyWriteScript.applied(1L)).isTrue();
    assertThat(CopyWriteScript.applied(0L)).isFalse();
    assertThatThrownBy(() -> CopyWriteScript.applied(2L)).isInstanceOf(BackendException.class);
    assertThatThrownBy(() -> CopyWriteScript.applied("OK"))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("String");
    assertThatThrownBy(() -> CopyWriteScript.applied(null)).hasMessageContaining("nil");
    assertThat(CopyWriteScript.isNoScript("NOSCRIPT No matching script.")).isTrue();
    assertThat(CopyWriteScript.isNoScript("ERR other")).isFalse();
    assertThat(CopyWriteScript.isNoScript(null)).isFalse();
  }
}
