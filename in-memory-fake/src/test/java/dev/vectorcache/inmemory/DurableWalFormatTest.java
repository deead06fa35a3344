package dev.vectorcache.inmemory;

import static dev.vectorcache.inmemory.DurableFixtures.files;
import static dev.vectorcache.inmemory.DurableFixtures.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.RetrievedPoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The on-disk format of a durable store: records framed {@code [length][crc32c][type][body]}, a
 * torn last record dropped, any other damage reported with its file and offset.
 */
class DurableWalFormatTest {
  @TempDir Path dir;

  /** A collection and ten single-point upserts, left as a crash leaves them; returns the data. */
  private Path tenWrites() {
    Path data = dir.resolve("data");
    InMemoryVectorStore store = open(data);
    store.createCollection("c", CollectionConfig.builder(4, Distance.DOT).build());
    for (int i = 0; i < 10; i++) {
      store.upsert(
          "c",
          List.of(PointStruct.of(PointId.of(i), new float[] {i, 1, 2, 3}, Map.of("i", (long) i))));
    }
    store.abandon();
    return data;
  }

  private static Path newestSegment(Path data) throws IOException {
    List<String> wal = files(data, "wal-");
    return data.resolve(wal.get(wal.size() - 1));
  }

  /** The byte offset of each record of a segment, read by its length fields. */
  private static List<Long> offsets(Path segment) throws IOException {
    byte[] bytes = Files.readAllBytes(segment);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    List<Long> out = new ArrayList<>();
    int pos = 0;
    while (pos < bytes.length) {
      out.add((long) pos);
      pos += 8 + b.getInt(pos);
    }
    assertThat(pos).isEqualTo(bytes.length);
    return out;
  }

  private static void flip(Path file, long offset) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, offset);
      one.put(0, (byte) (one.get(0) ^ 0x5a));
      one.rewind();
      ch.write(one, offset);
    }
  }

  private static List<Long> ids(InMemoryVectorStore store) {
    List<Long> out = new ArrayList<>();
    for (RetrievedPoint p : DurableFixtures.scrollAll(store, "c", false)) {
      out.add(p.id().num());
    }
    return out;
  }

  @Test
  void eachRecordIsFramedWithItsLengthAndCrc32cAndTypeByte() throws IOException {
    Path segment = newestSegment(tenWrites());
    byte[] bytes = Files.readAllBytes(segment);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    List<Long> offsets = offsets(segment);
    assertThat(offsets).hasSize(11); // the collection, then ten upserts
    for (long o : offsets) {
      int length = b.getInt((int) o);
      CRC32C crc = new CRC32C();
      crc.update(bytes, (int) o + 8, length);
      assertThat(b.getInt((int) o + 4)).isEqualTo((int) crc.getValue());
      assertThat((bytes[(int) o + 8] & 0xff) >>> 5).isEqualTo(WalRecords.VERSION);
    }
    assertThat(bytes[offsets.get(0).intValue() + 8] & 0x1f)
        .isEqualTo((int) WalRecords.CREATE_COLLECTION);
    assertThat(bytes[offsets.get(1).intValue() + 8] & 0x1f).isEqualTo((int) WalRecords.UPSERT);
  }

  @Test
  void aTornLastRecordIsDroppedAndTheSegmentCutToTheLastGoodOne() throws IOException {
    Path data = tenWrites();
    Path segment = newestSegment(data);
    List<Long> offsets = offsets(segment);
    long lastStart = offsets.get(offsets.size() - 1);
    long size = Files.size(segment);
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.truncate(lastStart + (size - lastStart) / 2); // the last upsert cut mid-way
    }
    try (InMemoryVectorStore store = open(data)) {
      assertThat(ids(store)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
      // cut by recovery (the close's checkpoint deletes it later)
      assertThat(Files.size(segment)).isEqualTo(lastStart);
    }
  }

  @Test
  void aLastRecordFailingItsCrcIsATornWriteToo() throws IOException {
    Path data = tenWrites();
    Path segment = newestSegment(data);
    List<Long> offsets = offsets(segment);
    flip(segment, Files.size(segment) - 3);
    try (InMemoryVectorStore store = open(data)) {
      assertThat(ids(store)).hasSize(9).doesNotContain(9L);
      assertThat(Files.size(segment)).isEqualTo(offsets.get(offsets.size() - 1));
    }
  }

  @Test
  void aDamagedRecordFollowedByGoodOnesIsCorruptionNamingFileAndOffset() throws IOException {
    Path data = tenWrites();
    Path segment = newestSegment(data);
    long third = offsets(segment).get(3);
    flip(segment, third + 12); // inside the body: the CRC differs
    assertThatThrownBy(() -> open(data))
        .isInstanceOf(WalCorruptedException.class)
        .hasMessageContaining(segment.toString())
        .hasMessageContaining("byte offset " + third)
        .satisfies(
            e -> {
              WalCorruptedException w = (WalCorruptedException) e;
              assertThat(w.file()).isEqualTo(segment.toString());
              assertThat(w.offset()).isEqualTo(third);
            });
    // nothing was cut, and the lock was released: a second attempt says the same
    assertThatThrownBy(() -> open(data)).isInstanceOf(WalCorruptedException.class);
  }

  @Test
  void aCutRecordInASegmentThatIsNotTheNewestIsCorruption() throws IOException {
    Path data = tenWrites();
    Path first = newestSegment(data);
    try (InMemoryVectorStore store = open(data)) { // a new segment for the writes that follow
      store.upsert("c", List.of(PointStruct.of(50, new float[] {1, 1, 1, 1})));
      store.abandon();
    }
    assertThat(files(data, "wal-")).hasSizeGreaterThan(1);
    long size = Files.size(first);
    try (FileChannel ch = FileChannel.open(first, StandardOpenOption.WRITE)) {
      ch.truncate(size - 4);
    }
    assertThatThrownBy(() -> open(data))
        .isInstanceOf(WalCorruptedException.class)
        .hasMessageContaining(first.toString())
        .hasMessageContaining("not the newest");
  }

  @Test
  void aFlippedByteInACheckpointIsDetected() throws IOException {
    Path data = tenWrites();
    try (InMemoryVectorStore store = open(data)) {
      assertThat(store.count("c", null)).isEqualTo(10); // close takes the checkpoint
    }
    String checkpoint = files(data, "checkpoint-").get(0);
    Path snapshot = data.resolve(checkpoint).resolve(DurableStorage.SNAPSHOT_FILE);
    byte[] original = Files.readAllBytes(snapshot);
    flip(snapshot, original.length / 2);
    assertThatThrownBy(() -> open(data))
        .isInstanceOf(WalCorruptedException.class)
        .hasMessageContaining(snapshot.toString());

    Files.write(snapshot, original);
    Path aliases = data.resolve(checkpoint).resolve(DurableStorage.ALIASES_FILE);
    flip(aliases, Files.size(aliases) - 1);
    assertThatThrownBy(() -> open(data))
        .isInstanceOf(WalCorruptedException.class)
        .hasMessageContaining(aliases.toString())
        .hasMessageContaining("CRC-32C");
    flip(aliases, Files.size(aliases) - 1); // mended: it opens again
    try (InMemoryVectorStore store = open(data)) {
      assertThat(store.count("c", null)).isEqualTo(10);
    }
  }
}
