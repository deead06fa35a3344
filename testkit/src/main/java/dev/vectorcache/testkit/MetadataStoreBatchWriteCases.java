package dev.vectorcache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.BatchMetadataWrites;
import dev.vectorcache.core.port.BatchMetadataWrites.CopyWrite;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The cases of {@link MetadataStoreContract}'s {@code @Nested} group for {@link
 * BatchMetadataWrites} (kept in their own file so that the contract stays readable). A store that
 * does not advertise {@link Capability#BATCH_METADATA_WRITES} skips them; one that does must offer
 * the extension from both forms and behave as below.
 *
 * <p>Versions are of the size the cache uses (microseconds since the epoch) and differ by one, so a
 * compare-and-set that loses precision fails here.
 */
abstract class MetadataStoreBatchWriteCases {
  private static final long V = 1_700_000_000_000_000L;

  private BatchMetadataWrites batch;

  /** The store under test. */
  abstract MetadataStore store();

  /** How time passes for it. */
  abstract TimeControl time();

  /** A key unique to the test, deleted afterwards. */
  abstract String key(String name);

  /** A channel (collection) name unique to the test. */
  abstract String channel(String name);

  /** The TTL used when time is real. */
  abstract Duration realTimeTtl();

  @BeforeEach
  final void requireTheCapability() {
    MetadataStore store = store();
    assumeTrue(
        store.isSupported(Capability.BATCH_METADATA_WRITES),
        store + " does not advertise BATCH_METADATA_WRITES");
    assertThat(store.async().isSupported(Capability.BATCH_METADATA_WRITES)).isTrue();
    assertThat(store.async().extension(BatchMetadataWrites.class)).isPresent();
    batch = store.extension(BatchMetadataWrites.class).orElseThrow();
  }

  private static MetadataEntry entry(String key, long version) {
    Instant expires = Instant.now().truncatedTo(ChronoUnit.MILLIS).plus(Duration.ofHours(1));
    return new MetadataEntry(key, Map.of("v", version), version, expires);
  }

  private int write(List<CopyWrite> writes, List<MetadataEvent> events) {
    return batch.writeAll(writes, events).join();
  }

  private int write(CopyWrite... writes) {
    return write(List.of(writes), List.of());
  }

  private static CopyWrite plain(MetadataEntry e) {
    return new CopyWrite(e, Duration.ofMinutes(5), CopyWrite.Condition.ALWAYS);
  }

  private static CopyWrite ifNewer(MetadataEntry e) {
    return new CopyWrite(e, Duration.ofMinutes(5), CopyWrite.Condition.IF_NEWER);
  }

  private static CopyWrite sameVersion(MetadataEntry e, @Nullable Duration ttl) {
    return new CopyWrite(e, ttl, CopyWrite.Condition.IF_SAME_VERSION);
  }

  /** The copy {@code e} rewritten with other metadata and a later expiry, same version. */
  private static MetadataEntry refreshed(MetadataEntry e) {
    Instant later = Objects.requireNonNull(e.expiresAt(), "expiresAt").plus(Duration.ofHours(1));
    return new MetadataEntry(e.key(), Map.of("refreshed", true), e.version(), later);
  }

  @DisplayName("A plain write is applied whatever the key holds")
  @Test
  void plainWriteIsAppliedWhateverTheKeyHolds() {
    String k = key("plain");
    MetadataEntry newer = entry(k, V + 1);
    MetadataEntry older = entry(k, V);
    assertThat(write(plain(newer))).isEqualTo(1);
    assertThat(store().get(k)).contains(newer);
    assertThat(write(plain(older))).isEqualTo(1);
    assertThat(store().get(k)).contains(older);
  }

  @DisplayName("An if-newer write is refused when the key holds the same or a newer version")
  @Test
  void ifNewerWriteIsRefusedWhenTheKeyHoldsTheSameOrANewerVersion() {
    String k = key("refused");
    MetadataEntry stored = entry(k, V + 1);
    store().put(stored, Duration.ofMinutes(5));
    assertThat(write(ifNewer(entry(k, V)))).isZero();
    assertThat(write(ifNewer(entry(k, V + 1)))).isZero();
    assertThat(store().get(k)).contains(stored);
  }

  @DisplayName("An if-newer write is applied when the key is absent or holds an older version")
  @Test
  void ifNewerWriteIsAppliedWhenTheKeyIsAbsentOrOlder() {
    String absent = key("absent");
    String older = key("older");
    String newer = key("newer");
    store().put(entry(older, V - 1), Duration.ofMinutes(5));
    store().put(entry(newer, V + 1), Duration.ofMinutes(5));
    MetadataEntry a = entry(absent, V);
    MetadataEntry o = entry(older, V);
    int written = write(ifNewer(a), ifNewer(o), ifNewer(entry(newer, V)));
    assertThat(written).isEqualTo(2);
    assertThat(store().get(absent)).contains(a);
    assertThat(store().get(older)).contains(o);
    assertThat(store().get(newer).orElseThrow().version()).isEqualTo(V + 1);
  }

  @DisplayName("An if-same-version write is applied over a copy of exactly that version")
  @Test
  void ifSameVersionWriteIsAppliedOverTheSameVersion() {
    String k = key("same-version");
    MetadataEntry stored = entry(k, V);
    store().put(stored, Duration.ofMinutes(5));
    MetadataEntry refresh = refreshed(stored);
    assertThat(write(sameVersion(refresh, Duration.ofHours(2)))).isEqualTo(1);
    assertThat(store().get(k)).contains(refresh);
    // the write's TTL replaced the copy's: longer than the 5 minutes it had
    assertThat(store().ttl(k).orElseThrow())
        .isGreaterThan(Duration.ofMinutes(5))
        .isLessThanOrEqualTo(Duration.ofHours(2));
  }

  @DisplayName(
      "An if-same-version write is refused over a lower or a higher version and on a missing key")
  @Test
  void ifSameVersionWriteIsRefusedOverAnotherVersionOrAMissingKey() {
    String lower = key("same-over-lower");
    String higher = key("same-over-higher");
    String missing = key("same-over-missing");
    MetadataEntry low = entry(lower, V - 1);
    MetadataEntry high = entry(higher, V + 1);
    store().put(low, Duration.ofMinutes(5));
    store().put(high, Duration.ofMinutes(5));
    int written =
        write(
            sameVersion(refreshed(entry(lower, V)), Duration.ofHours(2)),
            sameVersion(refreshed(entry(higher, V)), Duration.ofHours(2)),
            sameVersion(entry(missing, V), Duration.ofHours(2)));
    assertThat(written).isZero();
    assertThat(store().get(lower)).contains(low);
    assertThat(store().get(higher)).contains(high);
    assertThat(store().get(missing)).isEmpty(); // never created
    assertThat(store().ttl(lower).orElseThrow()).isLessThanOrEqualTo(Duration.ofMinutes(5));
    assertThat(store().ttl(higher).orElseThrow()).isLessThanOrEqualTo(Duration.ofMinutes(5));
  }

  @DisplayName(
      "If-same-version writes honour their TTL, none clears it, an expired copy is missing")
  @Test
  void ifSameVersionWritesHonourTheirTtl() {
    String timed = key("same-ttl");
    String forever = key("same-no-ttl");
    Duration ttl = time().isManual() ? Duration.ofSeconds(10) : realTimeTtl();
    MetadataEntry t = entry(timed, V);
    MetadataEntry f = entry(forever, V);
    store().put(t, Duration.ofMinutes(5));
    store().put(f, Duration.ofMinutes(5));
    MetadataEntry noExpiry = new MetadataEntry(forever, Map.of("refreshed", true), V, null);
    assertThat(write(sameVersion(refreshed(t), ttl), sameVersion(noExpiry, null))).isEqualTo(2);
    assertThat(store().ttl(timed).orElseThrow()).isLessThanOrEqualTo(ttl);
    assertThat(store().ttl(forever)).contains(ChronoUnit.FOREVER.getDuration());
    assertThat(store().get(forever)).contains(noExpiry);
    if (time().isManual()) {
      time().advance(ttl.minusMillis(1));
      assertThat(store().get(timed)).contains(refreshed(t));
      time().advance(Duration.ofMillis(1));
    } else {
      await()
          .atMost(ttl.plus(time().slack()).plusSeconds(5))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> store().get(timed).isEmpty());
    }
    assertThat(store().get(timed)).isEmpty();
    // the expired copy is missing: a refresh of it does not bring it back
    assertThat(write(sameVersion(refreshed(t), Duration.ofMinutes(5)))).isZero();
    assertThat(store().get(timed)).isEmpty();
    assertThat(store().get(forever)).contains(noExpiry);
  }

  @DisplayName("Applied if-same-version writes are counted with the others, refused ones are not")
  @Test
  void ifSameVersionWritesAreCounted() {
    String same = key("count-same");
    String other = key("count-other");
    String plain = key("count-plain");
    String newer = key("count-newer");
    store().put(entry(same, V), Duration.ofMinutes(5));
    store().put(entry(other, V + 1), Duration.ofMinutes(5));
    store().put(entry(newer, V + 1), Duration.ofMinutes(5));
    int written =
        write(
            sameVersion(refreshed(entry(same, V)), Duration.ofMinutes(10)),
            sameVersion(entry(other, V), Duration.ofMinutes(10)),
            plain(entry(plain, V)),
            ifNewer(entry(newer, V)),
            sameVersion(entry(key("count-missing"), V), Duration.ofMinutes(10)));
    assertThat(written).isEqualTo(2);
    assertThat(store().get(same).orElseThrow().metadata()).containsEntry("refreshed", true);
    assertThat(store().get(other).orElseThrow().version()).isEqualTo(V + 1);
    assertThat(store().get(plain)).isPresent();
  }

  @DisplayName("Writes honour their TTL, and a write without TTL clears an earlier one")
  @Test
  void writesHonourTheirTtl() {
    String p = key("ttl-plain");
    String n = key("ttl-if-newer");
    String forever = key("ttl-none");
    Duration ttl = time().isManual() ? Duration.ofSeconds(10) : realTimeTtl();
    store().put(entry(forever, V - 1), Duration.ofMinutes(5));
    MetadataEntry noExpiry = new MetadataEntry(forever, Map.of(), V, null);
    write(
        List.of(
            new CopyWrite(entry(p, V), ttl, CopyWrite.Condition.ALWAYS),
            new CopyWrite(entry(n, V), ttl, CopyWrite.Condition.IF_NEWER),
            new CopyWrite(noExpiry, null, CopyWrite.Condition.IF_NEWER)),
        List.of());
    assertThat(store().ttl(p).orElseThrow()).isLessThanOrEqualTo(ttl);
    assertThat(store().ttl(n).orElseThrow()).isLessThanOrEqualTo(ttl);
    assertThat(store().ttl(forever)).contains(ChronoUnit.FOREVER.getDuration());
    assertThat(store().get(forever)).contains(noExpiry);
    if (time().isManual()) {
      time().advance(ttl.minusMillis(1));
      assertThat(store().getAll(List.of(p, n))).containsOnlyKeys(p, n);
      time().advance(Duration.ofMillis(1));
      assertThat(store().getAll(List.of(p, n))).isEmpty();
    } else {
      await()
          .atMost(ttl.plus(time().slack()).plusSeconds(5))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> store().getAll(List.of(p, n)).isEmpty());
    }
    assertThat(store().get(forever)).contains(noExpiry);
  }

  @DisplayName("Events are delivered after the writes, in order")
  @Test
  void eventsAreDeliveredInOrder() {
    String ch = channel("batch-events");
    List<MetadataEvent> received = new CopyOnWriteArrayList<>();
    try (Subscription s = store().subscribe(ch, received::add)) {
      Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      String k = key("evented");
      List<MetadataEvent> events =
          List.of(
              new MetadataEvent(MetadataEvent.Type.STORED, ch, k, V, at),
              new MetadataEvent(MetadataEvent.Type.DELETED, ch, "other", V + 1, at.plusMillis(1)));
      assertThat(write(List.of(plain(entry(k, V))), events)).isEqualTo(1);
      assertThat(write(List.of(), List.of(events.get(0)))).isZero();
      await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 3);
      assertThat(received).containsExactly(events.get(0), events.get(1), events.get(0));
      assertThat(s.channel()).isEqualTo(ch);
      assertThat(store().get(k)).isPresent();
    }
  }

  @DisplayName("Empty lists write nothing; bad input throws before any I/O")
  @Test
  @SuppressWarnings("NullAway") // passes null on purpose: the port must refuse it, typed
  void emptyListsWriteNothingAndBadInputThrows() {
    assertThat(write(List.of(), List.of())).isZero();
    assertThatThrownBy(() -> batch.writeAll(null, List.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("writes");
    assertThatThrownBy(() -> batch.writeAll(List.of(), null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("events");
    String k = key("bad-ttl");
    List<CopyWrite> bad = new ArrayList<>();
    bad.add(plain(entry(k, V)));
    bad.add(new CopyWrite(entry(k, V + 1), Duration.ZERO, CopyWrite.Condition.IF_NEWER));
    assertThatThrownBy(() -> batch.writeAll(bad, List.of()))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).contains("ttl"));
    assertThat(store().get(k)).isEmpty(); // nothing of a refused batch was sent
  }
}
