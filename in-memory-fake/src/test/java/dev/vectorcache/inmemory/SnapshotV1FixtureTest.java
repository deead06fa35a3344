package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.ReadOptions;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.ShardKey;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version 1 snapshot, written by the engine before version 2 existed ({@code
 * snapshots/v1-full.snapshot}), still restores; and a single-vector collection is written in
 * version 2 with the layout version 1 had.
 */
class SnapshotV1FixtureTest {
  /** What the fixture's collection "docs" held. */
  private static final UUID ROME = UUID.fromString("5c56c793-69f3-4fbf-87e6-c4bf54c28c26");

  private static final ShardKey A = ShardKey.of("a");
  private static final ShardKey SEVEN = ShardKey.of(7);

  @TempDir Path dir;

  private final InMemoryVectorStore store = new InMemoryVectorStore();
  private Path fixture;

  @BeforeEach
  void copyFixture() throws Exception {
    fixture = dir.resolve("v1-full.snapshot");
    try (InputStream in = getClass().getResourceAsStream("/snapshots/v1-full.snapshot")) {
      assertThat(in).as("the fixture on the test class path").isNotNull();
      Files.copy(in, fixture);
    }
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** The collection "docs" as the fixture's writer made it. */
  private static void createDocs(InMemoryVectorStore s) {
    s.createCollection("docs", CollectionConfig.builder(3, Distance.COSINE).build());
    s.upsert(
        "docs",
        List.of(
            PointStruct.of(
                PointId.of(1L), new float[] {1, 0, 0}, Map.of("city", "Berlin", "n", 1L)),
            PointStruct.of(
                PointId.of(2L), new float[] {0, 1, 0}, Map.of("city", "Paris", "x", 2.5)),
            PointStruct.of(
                PointId.of(3L), new float[] {0, 0, 1}, Map.of("city", "Berlin", "two", 2.0)),
            PointStruct.of(
                PointId.of(ROME),
                new float[] {3, 4, 0},
                Map.of("city", "Rome", "tags", List.of("a", "b")))));
    s.createPayloadIndex("docs", "city", PayloadSchemaType.KEYWORD);
  }

  @Test
  void aVersion1FullSnapshotRestores() {
    RestoredSnapshot r = store.restore(fixture);

    assertThat(r.kind()).isEqualTo(SnapshotDescription.Kind.FULL);
    assertThat(r.collections()).containsExactly("docs", "keyed");
    assertThat(r.attachments("docs").get("app/state"))
        .isEqualTo("hello v1".getBytes(StandardCharsets.UTF_8));
    assertThat(r.attachments("keyed")).isEmpty();

    assertThat(store.collectionInfo("docs").config())
        .isEqualTo(CollectionConfig.builder(3, Distance.COSINE).build());
    assertThat(store.payloadIndexes("docs")).isEqualTo(Map.of("city", PayloadSchemaType.KEYWORD));
    List<RetrievedPoint> docs =
        store.scroll("docs", new ScrollRequest(null, 10, null, PayloadSelector.ALL, true)).points();
    assertThat(docs).hasSize(4);
    assertThat(docs.get(0).id()).isEqualTo(PointId.of(1L));
    assertThat(docs.get(0).vector()).containsExactly(1f, 0f, 0f);
    assertThat(docs.get(0).payload()).isEqualTo(Map.of("city", "Berlin", "n", 1L));
    assertThat(docs.get(2).payload().get("two")).isEqualTo(2.0);
    assertThat(docs.get(3).id()).isEqualTo(PointId.of(ROME));
    assertThat(docs.get(3).vector()[0]).isCloseTo(0.6f, org.assertj.core.data.Offset.offset(1e-6f));
    List<ScoredPoint> hits =
        store.search("docs", SearchRequest.builder(new float[] {1, 1, 0}, 2).build());
    assertThat(hits).extracting(ScoredPoint::id).containsExactly(PointId.of(ROME), PointId.of(1L));

    assertThat(store.listShardKeys("keyed")).containsExactlyInAnyOrder(A, SEVEN);
    ReadOptions inSeven = ReadOptions.builder().shardKeys(SEVEN).build();
    assertThat(store.count("keyed", null, inSeven)).isEqualTo(2);
    assertThat(store.retrieve("keyed", List.of(PointId.of(1L)), null, true, inSeven))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.vector()).containsExactly(3f, 4f);
              assertThat(p.payload()).isEqualTo(Map.of("k", "seven"));
            });
  }

  @Test
  void aSingleVectorCollectionIsWrittenInVersion2WithTheLayoutOfVersion1() throws Exception {
    createDocs(store);
    Path file = dir.resolve("docs.snapshot");
    store.snapshotAll(file, c -> Map.of("app/state", "hello v1".getBytes(StandardCharsets.UTF_8)));

    JsonMapper json = JsonMapper.builder().build();
    JsonNode v1 = json.readTree(SnapshotFiles.entry(fixture, EngineSnapshots.MANIFEST));
    JsonNode v2 = json.readTree(SnapshotFiles.entry(file, EngineSnapshots.MANIFEST));
    assertThat(v2.get("formatVersion").intValue()).isEqualTo(2);
    assertThat(fieldNames(v2)).isEqualTo(fieldNames(v1));
    JsonNode oldDocs = v1.get("collections").get(0);
    JsonNode newDocs = v2.get("collections").get(0);
    // every field of the entry as version 1 wrote it; the section's SHA-256 differs with the
    // payloads' key order (Map.of has a random order per JVM)
    ((ObjectNode) oldDocs.get("shards").get(0)).remove("sha256");
    ((ObjectNode) newDocs.get("shards").get(0)).remove("sha256");
    assertThat(newDocs).isEqualTo(oldDocs);
    // the points section read by the version 1 layout (docs/snapshots.md) holds the same points
    assertThat(v1Points(SnapshotFiles.entry(file, "collections/0/shard-0.points"), json))
        .isEqualTo(v1Points(SnapshotFiles.entry(fixture, "collections/0/shard-0.points"), json));
  }

  /**
   * A points section decoded as version 1 lays it out: per point its id and vector bits, and its
   * payload (compared as JSON, whatever the order of its keys).
   */
  private static List<Map.Entry<String, JsonNode>> v1Points(byte[] section, JsonMapper json)
      throws Exception {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(section));
    assertThat(in.readInt()).isEqualTo(0x56435054);
    int dimension = in.readInt();
    long count = in.readLong();
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      byte kind = in.readByte();
      String id =
          kind == 0
              ? Long.toString(in.readLong())
              : new UUID(in.readLong(), in.readLong()).toString();
      StringBuilder line = new StringBuilder(id).append(' ');
      for (int d = 0; d < dimension; d++) {
        line.append(Integer.toHexString(in.readInt())).append(',');
      }
      byte[] payload = new byte[in.readInt()];
      in.readFully(payload);
      out.add(Map.entry(line.toString(), json.readTree(payload)));
    }
    assertThat(in.read()).as("nothing after the last point").isEqualTo(-1);
    assertThat(out).hasSize(4);
    return out;
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }
}
