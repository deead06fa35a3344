package dev.vectorcache.qdrant.testserver;

import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.QueryFactory.nearest;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static io.qdrant.client.WithPayloadSelectorFactory.enable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.common.util.concurrent.ListenableFuture;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.inmemory.SnapshotFormatException;
import io.grpc.Status;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.HnswConfigDiff;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.QuantizationConfig;
import io.qdrant.client.grpc.Collections.QuantizationType;
import io.qdrant.client.grpc.Collections.ScalarQuantization;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points.Fusion;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.Query;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.SnapshotsService.SnapshotDescription;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * qdrant.Snapshots through the official client: Qdrant's names, sizes and checksums, NOT_FOUND
 * where Qdrant answers it, and a server restarted from a snapshot that answers as before.
 */
class SnapshotsServiceTest {
  private static final String STAMP = "\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}";

  @TempDir Path dir;

  private static QdrantClient client(QdrantTestServer server) {
    return new QdrantClient(QdrantGrpcClient.newBuilder("127.0.0.1", server.port(), false).build());
  }

  private static <T> T get(ListenableFuture<T> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  private static Status.Code code(ThrowingCallable call) {
    Throwable t = catchThrowable(call);
    assertThat(t).as("the call fails").isNotNull();
    return Status.fromThrowable(t).getCode();
  }

  private static String sha256(Path file) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  /** A collection with settings the server echoes, a payload index and a few points. */
  private static void seed(QdrantClient client, String name) throws Exception {
    get(
        client.createCollectionAsync(
            CreateCollection.newBuilder()
                .setCollectionName(name)
                .setVectorsConfig(
                    VectorsConfig.newBuilder()
                        .setParams(
                            VectorParams.newBuilder().setSize(4).setDistance(Distance.Cosine)))
                .setHnswConfig(HnswConfigDiff.newBuilder().setM(8).setEfConstruct(64))
                .setQuantizationConfig(
                    QuantizationConfig.newBuilder()
                        .setScalar(
                            ScalarQuantization.newBuilder()
                                .setType(QuantizationType.Int8)
                                .setQuantile(0.98f)
                                .setAlwaysRam(true)))
                .putMetadata("owner", value("tests"))
                .build()));
    get(
        client.createPayloadIndexAsync(
            name, "city", PayloadSchemaType.Keyword, null, true, null, null));
    List<PointStruct> points = new ArrayList<>();
    String[] cities = {"Berlin", "London", "Moscow", "Paris"};
    for (int i = 0; i < 40; i++) {
      points.add(
          PointStruct.newBuilder()
              .setId(
                  i % 2 == 0 ? id(i) : id(java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) i})))
              .setVectors(vectors(0.1f * i, 1 - 0.02f * i, (i % 7) * 0.3f, 0.5f))
              .putAllPayload(Map.of("city", value(cities[i % 4]), "n", value(i)))
              .build());
    }
    get(client.upsertAsync(name, points));
  }

  private static List<ScoredPoint> query(QdrantClient client, String name) throws Exception {
    return get(
        client.queryAsync(
            QueryPoints.newBuilder()
                .setCollectionName(name)
                .setLimit(10)
                .setFilter(Filter.newBuilder().addMust(matchKeyword("city", "London")))
                .setQuery(nearest(0.2f, 0.1f, 0.9f, 0.7f))
                .setWithPayload(enable(true))
                .build()));
  }

  @Test
  void collectionSnapshotsHaveQdrantsNamesSizesAndChecksums() throws Exception {
    Path snapshots = dir.resolve("snapshots");
    try (QdrantTestServer server =
            QdrantTestServer.builder().snapshotsDirectory(snapshots).start();
        QdrantClient client = client(server)) {
      seed(client, "docs");
      Instant before = Instant.now();

      SnapshotDescription d = get(client.createSnapshotAsync("docs"));

      assertThat(d.getName()).matches("docs-" + server.peerId() + "-" + STAMP + "\\.snapshot");
      LocalDateTime stamp =
          LocalDateTime.parse(
              d.getName().substring(d.getName().length() - 28, d.getName().length() - 9),
              DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss"));
      assertThat(stamp.toEpochSecond(ZoneOffset.UTC))
          .isBetween(before.getEpochSecond() - 1, Instant.now().getEpochSecond());
      Path file = snapshots.resolve("docs").resolve(d.getName());
      assertThat(file).isRegularFile();
      assertThat(d.getSize()).isEqualTo(Files.size(file));
      assertThat(d.getChecksum()).isEqualTo(sha256(file));
      assertThat(snapshots.resolve("docs").resolve(d.getName() + ".checksum"))
          .hasContent(d.getChecksum());
      assertThat(d.getCreationTime().getSeconds())
          .isBetween(before.getEpochSecond() - 5, Instant.now().getEpochSecond() + 5);

      List<SnapshotDescription> listed = get(client.listSnapshotAsync("docs"));
      assertThat(listed).containsExactly(d);

      get(client.deleteSnapshotAsync("docs", d.getName()));
      assertThat(get(client.listSnapshotAsync("docs"))).isEmpty();
      assertThat(file).doesNotExist();
      assertThat(snapshots.resolve("docs").resolve(d.getName() + ".checksum")).doesNotExist();
    }
    assertThat(snapshots).as("a given directory stays").isDirectory();
  }

  @Test
  void unknownCollectionsAndSnapshotsAreNotFound() throws Exception {
    try (QdrantTestServer server = QdrantTestServer.start();
        QdrantClient client = client(server)) {
      seed(client, "docs");
      SnapshotDescription d = get(client.createSnapshotAsync("docs"));
      get(client.deleteSnapshotAsync("docs", d.getName()));

      assertThat(code(() -> get(client.deleteSnapshotAsync("docs", d.getName()))))
          .isEqualTo(Status.Code.NOT_FOUND);
      assertThat(code(() -> get(client.deleteSnapshotAsync("docs", "docs-1-2020.snapshot"))))
          .isEqualTo(Status.Code.NOT_FOUND);
      assertThat(code(() -> get(client.deleteSnapshotAsync("docs", "../../outside.snapshot"))))
          .isEqualTo(Status.Code.NOT_FOUND);
      assertThat(code(() -> get(client.createSnapshotAsync("nope"))))
          .isEqualTo(Status.Code.NOT_FOUND);
      assertThat(code(() -> get(client.listSnapshotAsync("nope"))))
          .isEqualTo(Status.Code.NOT_FOUND);
      assertThat(code(() -> get(client.deleteSnapshotAsync("nope", d.getName()))))
          .isEqualTo(Status.Code.NOT_FOUND);
      assertThat(code(() -> get(client.deleteFullSnapshotAsync("full-snapshot-x.snapshot"))))
          .isEqualTo(Status.Code.NOT_FOUND);
      Throwable t = catchThrowable(() -> get(client.createSnapshotAsync("nope")));
      assertThat(Status.fromThrowable(t).getDescription())
          .isEqualTo("Not found: Collection `nope` doesn't exist!");
      Throwable u = catchThrowable(() -> get(client.deleteSnapshotAsync("docs", "x.snapshot")));
      assertThat(Status.fromThrowable(u).getDescription())
          .isEqualTo("Not found: Snapshot x.snapshot not found");
    }
  }

  @Test
  void twoSnapshotsInTheSameSecondShareTheirName() throws Exception {
    try (QdrantTestServer server = QdrantTestServer.start();
        QdrantClient client = client(server)) {
      seed(client, "docs");
      Set<String> names = new HashSet<>();
      for (int i = 0; i < 3; i++) {
        names.add(get(client.createSnapshotAsync("docs")).getName());
      }
      // as in Qdrant: the name has whole seconds, and a later snapshot replaces an earlier one
      List<SnapshotDescription> listed = get(client.listSnapshotAsync("docs"));
      assertThat(listed)
          .extracting(SnapshotDescription::getName)
          .containsExactlyInAnyOrderElementsOf(names);
      for (SnapshotDescription d : listed) {
        assertThat(d.getChecksum())
            .isEqualTo(sha256(server.snapshotsDirectory().resolve("docs").resolve(d.getName())));
      }
    }
  }

  @Test
  void fullSnapshotsHoldEveryCollection() throws Exception {
    try (QdrantTestServer server = QdrantTestServer.start();
        QdrantClient client = client(server)) {
      seed(client, "a");
      seed(client, "b");

      SnapshotDescription d = get(client.createFullSnapshotAsync());

      assertThat(d.getName()).matches("full-snapshot-" + STAMP + "\\.snapshot");
      Path file = server.snapshotsDirectory().resolve(d.getName());
      assertThat(d.getSize()).isEqualTo(Files.size(file));
      assertThat(d.getChecksum()).isEqualTo(sha256(file));
      assertThat(get(client.listFullSnapshotAsync())).containsExactly(d);
      // a full snapshot leaves no collection snapshot behind, as in Qdrant
      assertThat(get(client.listSnapshotAsync("a"))).isEmpty();

      try (InMemoryVectorStore copy = new InMemoryVectorStore()) {
        assertThat(copy.restore(file).collections()).containsExactly("a", "b");
        assertThat(copy.count("b", null)).isEqualTo(40);
      }

      get(client.deleteFullSnapshotAsync(d.getName()));
      assertThat(get(client.listFullSnapshotAsync())).isEmpty();
      assertThat(file).doesNotExist();
    }
  }

  @Test
  void aServerRestoredFromASnapshotAnswersGetSearchAndCountAsBefore() throws Exception {
    Path snapshots = dir.resolve("snapshots");
    CollectionInfo info;
    List<ScoredPoint> hits;
    long count;
    Path collectionFile;
    Path fullFile;
    try (QdrantTestServer server =
            QdrantTestServer.builder().snapshotsDirectory(snapshots).start();
        QdrantClient client = client(server)) {
      seed(client, "docs");
      seed(client, "other");
      info = get(client.getCollectionInfoAsync("docs"));
      hits = query(client, "docs");
      count = get(client.countAsync("docs"));
      collectionFile =
          snapshots.resolve("docs").resolve(get(client.createSnapshotAsync("docs")).getName());
      fullFile = snapshots.resolve(get(client.createFullSnapshotAsync()).getName());
    }
    assertThat(hits).isNotEmpty();
    assertThat(info.getPayloadSchemaMap()).containsKey("city");

    try (QdrantTestServer restored =
            QdrantTestServer.builder().restoreSnapshot(collectionFile).start();
        QdrantClient client = client(restored)) {
      assertThat(get(client.listCollectionsAsync())).containsExactly("docs");
      assertThat(get(client.getCollectionInfoAsync("docs"))).isEqualTo(info);
      assertThat(query(client, "docs")).isEqualTo(hits);
      assertThat(get(client.countAsync("docs"))).isEqualTo(count);
    }

    try (QdrantTestServer restored = QdrantTestServer.builder().restoreSnapshot(fullFile).start();
        QdrantClient client = client(restored)) {
      assertThat(get(client.listCollectionsAsync())).containsExactlyInAnyOrder("docs", "other");
      assertThat(get(client.getCollectionInfoAsync("docs"))).isEqualTo(info);
      assertThat(query(client, "other")).isEqualTo(hits);
    }
  }

  /** What a client reads of a collection with named and sparse vectors. */
  private static List<Object> namedAnswers(QdrantClient client, String name) throws Exception {
    List<Object> out = new ArrayList<>();
    out.add(get(client.getCollectionInfoAsync(name)));
    out.add(get(client.countAsync(name)));
    out.add(
        get(
            client.retrieveAsync(
                GetPoints.newBuilder()
                    .setCollectionName(name)
                    .addAllIds(List.of(id(1), id(2), id(3), id(4), id(5), id(6)))
                    .setWithPayload(enable(true))
                    .setWithVectors(NamedFixtures.all())
                    .build(),
                null)));
    QueryPoints.Builder base =
        QueryPoints.newBuilder().setCollectionName(name).setLimit(6).setWithPayload(enable(true));
    List<QueryPoints> queries =
        List.of(
            base.clone()
                .setUsing("text")
                .setQuery(NamedFixtures.nearest(NamedFixtures.denseInput(1f, 0.5f)))
                .build(),
            base.clone()
                .setUsing("img")
                .setQuery(NamedFixtures.nearest(NamedFixtures.denseInput(0f, 1f, 1f)))
                .build(),
            base.clone()
                .setUsing("bm")
                .setQuery(NamedFixtures.nearest(NamedVectorsTest.sparseQuery()))
                .build(),
            base.clone()
                .addPrefetch(NamedVectorsTest.prefetch("text", NamedFixtures.denseInput(1f, 0f), 4))
                .addPrefetch(NamedVectorsTest.prefetch("bm", NamedVectorsTest.sparseQuery(), 4))
                .setQuery(Query.newBuilder().setFusion(Fusion.RRF))
                .build());
    for (QueryPoints q : queries) {
      List<ScoredPoint> hits = get(client.queryAsync(q));
      assertThat(hits).as("%s", q).isNotEmpty();
      out.add(hits);
    }
    return out;
  }

  @Test
  void aCollectionWithNamedAndSparseVectorsIsSnapshottedAndRestored() throws Exception {
    Path snapshots = dir.resolve("snapshots");
    List<Object> before;
    Path collectionFile;
    Path fullFile;
    try (QdrantTestServer server =
            QdrantTestServer.builder().snapshotsDirectory(snapshots).start();
        QdrantClient client = client(server)) {
      get(client.createCollectionAsync(NamedVectorsTest.hybrid("h")));
      get(
          client.upsertAsync(
              "h",
              List.of(
                  NamedVectorsTest.point(
                      1,
                      Map.of(
                          "text",
                          NamedFixtures.dense(1f, 0f),
                          "img",
                          NamedFixtures.dense(0f, 0f, 1f),
                          "bm",
                          NamedFixtures.sparse(1, 2f))),
                  NamedVectorsTest.point(2, Map.of("text", NamedFixtures.dense(0.3f, 0.9f))),
                  NamedVectorsTest.point(
                      3,
                      Map.of(
                          "img",
                          NamedFixtures.dense(0f, 1f, 0f),
                          "bm",
                          NamedVectorsTest.sparse2(1, 0.5f, 3, 1f))),
                  NamedVectorsTest.point(4, Map.of("bm", NamedFixtures.sparse(3, 4f))),
                  NamedVectorsTest.point(
                      5,
                      Map.of(
                          "text",
                          NamedFixtures.dense(0.6f, 0.6f),
                          "img",
                          NamedFixtures.dense(1f, 1f, 0f))),
                  NamedVectorsTest.point(6, Map.of()))));
      get(
          client.createPayloadIndexAsync(
              "h", "n", PayloadSchemaType.Integer, null, true, null, null));
      seed(client, "docs");
      before = namedAnswers(client, "h");
      collectionFile =
          snapshots.resolve("h").resolve(get(client.createSnapshotAsync("h")).getName());
      fullFile = snapshots.resolve(get(client.createFullSnapshotAsync()).getName());
    }
    assertThat(((CollectionInfo) before.get(0)).getPayloadSchemaMap()).containsKey("n");

    try (QdrantTestServer restored =
            QdrantTestServer.builder().restoreSnapshot(collectionFile).start();
        QdrantClient client = client(restored)) {
      assertThat(get(client.listCollectionsAsync())).containsExactly("h");
      assertThat(namedAnswers(client, "h")).isEqualTo(before);
    }
    try (QdrantTestServer restored = QdrantTestServer.builder().restoreSnapshot(fullFile).start();
        QdrantClient client = client(restored)) {
      assertThat(get(client.listCollectionsAsync())).containsExactlyInAnyOrder("docs", "h");
      assertThat(namedAnswers(client, "h")).isEqualTo(before);
      assertThat(query(client, "docs")).isNotEmpty();
    }
  }

  @Test
  void restoringTwiceTheSameCollectionOrABadFileFailsTheStart() throws Exception {
    Path text = dir.resolve("x.snapshot");
    Files.writeString(text, "not a snapshot");
    assertThatThrownBy(() -> QdrantTestServer.builder().restoreSnapshot(text).start())
        .isInstanceOfSatisfying(
            SnapshotFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(SnapshotFormatException.Reason.NOT_A_SNAPSHOT));

    Path file = dir.resolve("a.snapshot");
    try (InMemoryVectorStore engine = new InMemoryVectorStore()) {
      engine.createCollection(
          "a",
          dev.vectorcache.core.model.CollectionConfig.builder(
                  2, dev.vectorcache.core.model.Distance.EUCLID)
              .build());
      engine.snapshot("a", file);
    }
    assertThatThrownBy(
            () -> QdrantTestServer.builder().restoreSnapshot(file).restoreSnapshot(file).start())
        .isInstanceOf(dev.vectorcache.core.exception.CollectionAlreadyExistsException.class);
    // a snapshot written by the engine alone restores too: Get describes the engine's config
    try (QdrantTestServer server = QdrantTestServer.builder().restoreSnapshot(file).start();
        QdrantClient client = client(server)) {
      CollectionInfo a = get(client.getCollectionInfoAsync("a"));
      assertThat(a.getConfig().getParams().getVectorsConfig().getParams().getSize()).isEqualTo(2);
    }
  }

  @Test
  void anotherBackingStoreAnswersUnimplemented() throws Exception {
    try (InMemoryVectorStore engine = new InMemoryVectorStore()) {
      VectorStore plain =
          (VectorStore)
              Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {VectorStore.class},
                  (proxy, method, args) -> method.invoke(engine, args));
      try (QdrantTestServer server = QdrantTestServer.builder().backend(plain).start();
          QdrantClient client = client(server)) {
        get(
            client.createCollectionAsync(
                "docs", VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot).build()));
        assertThat(code(() -> get(client.createSnapshotAsync("docs"))))
            .isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(code(() -> get(client.listFullSnapshotAsync())))
            .isEqualTo(Status.Code.UNIMPLEMENTED);
      }
      Path file = dir.resolve("any.snapshot");
      assertThatThrownBy(
              () -> QdrantTestServer.builder().backend(plain).restoreSnapshot(file).start())
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void snapshotCallsNeedTheApiKeyAndTakeFaults() throws Exception {
    try (QdrantTestServer server = QdrantTestServer.builder().apiKey("k3y").start();
        QdrantClient anonymous = client(server);
        QdrantClient client =
            new QdrantClient(
                QdrantGrpcClient.newBuilder("127.0.0.1", server.port(), false)
                    .withApiKey("k3y")
                    .build())) {
      assertThat(code(() -> get(anonymous.listFullSnapshotAsync())))
          .isEqualTo(Status.Code.UNAUTHENTICATED);
      server.faults().injectOnce(FaultMode.UNAVAILABLE, "CreateFull");
      assertThat(code(() -> get(client.createFullSnapshotAsync())))
          .isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(get(client.listFullSnapshotAsync())).isEmpty();
      assertThat(get(client.createFullSnapshotAsync()).getName()).startsWith("full-snapshot-");
      assertThat(server.requestCount("CreateFull")).isEqualTo(2);
    }
  }

  @Test
  void aTemporarySnapshotsDirectoryIsDeletedWithTheServer() throws Exception {
    Path directory;
    try (QdrantTestServer server = QdrantTestServer.start();
        QdrantClient client = client(server)) {
      seed(client, "docs");
      get(client.createSnapshotAsync("docs"));
      directory = server.snapshotsDirectory();
      assertThat(directory).isDirectory();
    }
    assertThat(directory).doesNotExist();
  }
}
