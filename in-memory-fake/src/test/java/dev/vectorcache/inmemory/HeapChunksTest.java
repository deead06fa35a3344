package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HeapChunksTest {
  @Test
  void recordsSurviveGrowthAndStayInOneChunk() {
    HeapChunks c = new HeapChunks(3);
    for (int slot = 0; slot < 5000; slot++) {
      c.ensureCapacity(slot + 1);
      byte[] chunk = c.chunk(slot);
      int off = c.offset(slot);
      for (int i = 0; i < 3; i++) {
        chunk[off + i] = (byte) (slot * 3 + i);
      }
    }
    for (int slot = 0; slot < 5000; slot++) {
      assertThat(c.offset(slot) + 3).isLessThanOrEqualTo(c.chunk(slot).length);
      for (int i = 0; i < 3; i++) {
        assertThat(c.chunk(slot)[c.offset(slot) + i]).isEqualTo((byte) (slot * 3 + i));
      }
    }
  }

  @Test
  void unusedCapacityIsBoundedByAFractionOfOneChunk() {
    HeapChunks c = new HeapChunks(384);
    int bound = HeapChunks.CHUNK_SLOTS / 5 + 1;
    for (int slots = 1; slots <= 100_000; slots++) {
      c.ensureCapacity(slots);
      assertThat(c.capacity()).isGreaterThanOrEqualTo(slots);
      assertThat(c.capacity() - slots).isLessThanOrEqualTo(Math.max(16, bound));
    }
    // 100k records of 384 bytes: the bytes held are within 1% of what the records need
    assertThat(c.heapBytes()).isLessThan((long) (100_000 * 384 * 1.01));
  }

  @Test
  void aLargeRequestFillsWholeChunks() {
    HeapChunks c = new HeapChunks(8);
    c.ensureCapacity(3 * HeapChunks.CHUNK_SLOTS + 5);
    assertThat(c.capacity()).isEqualTo(3 * HeapChunks.CHUNK_SLOTS + 16);
    assertThat(c.chunks().length).isEqualTo(4);
    c.clear();
    assertThat(c.capacity()).isZero();
    assertThat(c.chunks().length).isZero();
  }

  @Test
  void refusesRecordsThatCannotFitAChunk() {
    assertThatThrownBy(() -> new HeapChunks(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HeapChunks(Integer.MAX_VALUE / 512))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
