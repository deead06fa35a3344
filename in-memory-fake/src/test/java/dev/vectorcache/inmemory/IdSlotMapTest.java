package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.id.PointId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@link IdSlotMap} answers as a {@code TreeMap<PointId, Integer>} does, through random inserts and
 * deletes with slot reuse (numbers, unsigned numbers past {@code Long.MAX_VALUE}, UUIDs), enough of
 * them to split and merge leaves and to grow the hash table.
 */
class IdSlotMapTest {
  private PointId[] idBySlot = new PointId[16];
  private final IdSlotMap map = new IdSlotMap(s -> idBySlot[s]);
  private final TreeMap<PointId, Integer> expected = new TreeMap<>();
  private int[] free = new int[0];
  private int freeCount;
  private int slotLimit;

  private int allocate() {
    if (freeCount > 0) {
      return free[--freeCount];
    }
    if (slotLimit == idBySlot.length) {
      idBySlot = Arrays.copyOf(idBySlot, idBySlot.length * 2);
    }
    return slotLimit++;
  }

  private void release(int slot) {
    if (freeCount == free.length) {
      free = Arrays.copyOf(free, Math.max(8, free.length * 2));
    }
    free[freeCount++] = slot;
  }

  private static PointId randomId(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> PointId.of(new UUID(r.nextLong(), r.nextLong()));
      case 1 -> PointId.of(-1L - r.nextInt(1000)); // unsigned: past Long.MAX_VALUE
      default -> PointId.of(r.nextInt(20_000));
    };
  }

  private void check(Random r) {
    assertThat(map.size()).isEqualTo(expected.size());
    List<Map.Entry<PointId, Integer>> all = new ArrayList<>();
    map.entrySet().forEach(all::add);
    assertThat(all).containsExactlyElementsOf(new ArrayList<>(expected.entrySet()));
    for (int i = 0; i < 20; i++) {
      PointId from = randomId(r);
      List<Map.Entry<PointId, Integer>> tail = new ArrayList<>();
      map.from(from).forEach(tail::add);
      assertThat(tail)
          .containsExactlyElementsOf(new ArrayList<>(expected.tailMap(from, true).entrySet()));
    }
  }

  @Test
  void answersAsATreeMapThroughInsertsDeletesAndSlotReuse() {
    Random r = new Random(17);
    for (int step = 0; step < 60_000; step++) {
      PointId id = randomId(r);
      boolean insert = step < 30_000 ? r.nextInt(4) != 0 : r.nextInt(3) == 0;
      Integer slot = expected.get(id);
      assertThat(map.get(id)).isEqualTo(slot);
      if (insert && slot == null) {
        int s = allocate();
        idBySlot[s] = id;
        map.put(id, s);
        expected.put(id, s);
      } else if (!insert && slot != null) {
        assertThat(map.remove(id)).isEqualTo(slot);
        idBySlot[slot] = null;
        expected.remove(id);
        release(slot);
      }
      if (step % 10_000 == 9_999) {
        check(r);
      }
    }
    assertThat(map.remove(PointId.of(123_456_789L))).isEqualTo(-1);
    // delete everything in id order (runs of deletes empty and merge leaves), then refill
    for (PointId id : new ArrayList<>(expected.keySet())) {
      int slot = map.remove(id);
      assertThat(slot).isEqualTo(expected.remove(id));
      idBySlot[slot] = null;
      release(slot);
    }
    check(r);
    assertThat(map.entrySet().iterator().hasNext()).isFalse();
    for (int i = 0; i < 3_000; i++) {
      PointId id = PointId.of(i * 7L);
      int s = allocate();
      idBySlot[s] = id;
      map.put(id, s);
      expected.put(id, s);
    }
    check(r);
  }

  @Test
  void costsFewBytesAPoint() {
    for (int i = 0; i < 10_000; i++) {
      int s = allocate();
      idBySlot[s] = PointId.of(i);
      map.put(idBySlot[s], s);
    }
    // a TreeMap entry and a boxed slot take about 56 bytes a point
    assertThat(map.heapBytes()).isLessThan(10_000L * 30);
    assertThat(map.get(PointId.of(9_999))).isEqualTo(9_999);
  }
}
