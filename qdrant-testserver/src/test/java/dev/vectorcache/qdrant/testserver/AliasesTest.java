package dev.vectorcache.qdrant.testserver;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.QueryFactory.nearest;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Collections.AliasDescription;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.DeleteAlias;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.RenameAlias;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.CollectionsGrpc;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.SearchPoints;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Collection aliases through the official client: UpdateAliases (create, rename, delete),
 * ListAliases and ListCollectionAliases, an alias used by Upsert, Search, Query, Get, Count,
 * Scroll, CreateFieldIndex and collection Get, with Qdrant's answers and errors.
 */
class AliasesTest {
  private QdrantTestServer server;
  private QdrantClient client;

  private void start(QdrantTestServer s) {
    server = s;
    client =
        new QdrantClient(QdrantGrpcClient.newBuilder("127.0.0.1", server.port(), false).build());
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private CollectionsGrpc.CollectionsBlockingStub collections() {
    return CollectionsGrpc.newBlockingStub(client.grpcClient().channel());
  }

  private void create(String name) throws Exception {
    client
        .createCollectionAsync(
            name, VectorParams.newBuilder().setDistance(Distance.Dot).setSize(2).build())
        .get();
  }

  private static AliasOperations createAlias(String alias, String collection) {
    return AliasOperations.newBuilder()
        .setCreateAlias(CreateAlias.newBuilder().setAliasName(alias).setCollectionName(collection))
        .build();
  }

  private static AliasOperations rename(String from, String to) {
    return AliasOperations.newBuilder()
        .setRenameAlias(RenameAlias.newBuilder().setOldAliasName(from).setNewAliasName(to))
        .build();
  }

  private static AliasOperations delete(String alias) {
    return AliasOperations.newBuilder()
        .setDeleteAlias(DeleteAlias.newBuilder().setAliasName(alias))
        .build();
  }

  private Collections.CollectionOperationResponse update(AliasOperations... actions) {
    return collections()
        .updateAliases(
            Collections.ChangeAliases.newBuilder().addAllActions(List.of(actions)).build());
  }

  private static StatusRuntimeException failure(Runnable call) {
    return org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class, call::run);
  }

  @Test
  void anAliasIsAcceptedWhereverACollectionIsNamed() throws Exception {
    start(QdrantTestServer.start());
    create("docs_v1");
    create("docs_v2");
    assertThat(client.createAliasAsync("docs", "docs_v1").get().getResult()).isTrue();

    client
        .upsertAsync(
            "docs",
            List.of(
                PointStruct.newBuilder().setId(id(1)).setVectors(vectors(1f, 0f)).build(),
                PointStruct.newBuilder().setId(id(2)).setVectors(vectors(0f, 1f)).build()))
        .get();
    assertThat(client.countAsync("docs_v1").get()).isEqualTo(2L);
    assertThat(client.countAsync("docs").get()).isEqualTo(2L);
    List<ScoredPoint> hits =
        client
            .searchAsync(
                SearchPoints.newBuilder()
                    .setCollectionName("docs")
                    .addAllVector(List.of(1f, 0f))
                    .setLimit(1)
                    .build())
            .get();
    assertThat(hits).extracting(p -> p.getId().getNum()).containsExactly(1L);
    assertThat(
            client
                .queryAsync(
                    QueryPoints.newBuilder()
                        .setCollectionName("docs")
                        .setQuery(nearest(0f, 1f))
                        .setLimit(1)
                        .build())
                .get())
        .extracting(p -> p.getId().getNum())
        .containsExactly(2L);
    assertThat(client.retrieveAsync("docs", List.of(id(2)), false, false, null).get()).hasSize(1);
    assertThat(
            client
                .scrollAsync(ScrollPoints.newBuilder().setCollectionName("docs").build())
                .get()
                .getResultCount())
        .isEqualTo(2);
    client
        .createPayloadIndexAsync("docs", "city", PayloadSchemaType.Keyword, null, true, null, null)
        .get();
    Collections.CollectionInfo info = client.getCollectionInfoAsync("docs").get();
    assertThat(info.getPointsCount()).isEqualTo(2L);
    assertThat(info.getConfig().getParams().getVectorsConfig().getParams().getSize()).isEqualTo(2L);
    assertThat(info.getPayloadSchemaMap()).containsKey("city");
    assertThat(client.getCollectionInfoAsync("docs_v1").get().getPayloadSchemaMap())
        .containsKey("city");
    assertThat(client.collectionExistsAsync("docs").get()).isTrue();
    assertThat(client.listCollectionsAsync().get()).containsExactly("docs_v1", "docs_v2");
  }

  @Test
  void aliasesAreCreatedListedSwitchedRenamedAndDeleted() throws Exception {
    start(QdrantTestServer.start());
    create("docs_v1");
    create("docs_v2");
    client.createAliasAsync("docs", "docs_v1").get();
    client.createAliasAsync("prod", "docs_v1").get();
    assertThat(client.listAliasesAsync().get())
        .extracting(AliasDescription::getAliasName, AliasDescription::getCollectionName)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("docs", "docs_v1"),
            org.assertj.core.groups.Tuple.tuple("prod", "docs_v1"));
    assertThat(client.listCollectionAliasesAsync("docs_v1").get()).containsExactly("docs", "prod");
    // as in Qdrant: the name is not resolved, and an unknown collection has no aliases
    assertThat(client.listCollectionAliasesAsync("docs").get()).isEmpty();
    assertThat(client.listCollectionAliasesAsync("nothing").get()).isEmpty();

    Collections.CollectionOperationResponse switched =
        update(delete("docs"), createAlias("docs", "docs_v2"));
    assertThat(switched.getResult()).isTrue();
    assertThat(switched.getTime()).isGreaterThanOrEqualTo(0);
    assertThat(client.listCollectionAliasesAsync("docs_v2").get()).containsExactly("docs");
    // creating an alias that exists points it elsewhere
    client.createAliasAsync("prod", "docs_v2").get();
    assertThat(client.listCollectionAliasesAsync("docs_v1").get()).isEmpty();

    client.renameAliasAsync("docs", "live").get();
    assertThat(client.listCollectionAliasesAsync("docs_v2").get()).containsExactly("live", "prod");
    assertThat(client.collectionExistsAsync("docs").get()).isFalse();
    client.deleteAliasAsync("live").get();
    client.deleteAliasAsync("never-existed").get(); // "delete alias if exists": OK
    assertThat(client.listCollectionAliasesAsync("docs_v2").get()).containsExactly("prod");

    // deleting an alias's name deletes nothing; deleting the collection deletes its aliases
    assertThat(
            collections()
                .delete(Collections.DeleteCollection.newBuilder().setCollectionName("prod").build())
                .getResult())
        .isFalse();
    assertThat(client.listAliasesAsync().get()).hasSize(1);
    client.deleteCollectionAsync("docs_v2").get();
    assertThat(client.listAliasesAsync().get()).isEmpty();
    assertThat(server.requestCount("UpdateAliases")).isEqualTo(7);
  }

  @Test
  void errorsAreQdrants() throws Exception {
    start(QdrantTestServer.start());
    create("c");
    create("other");

    StatusRuntimeException missing = failure(() -> update(createAlias("a", "missing")));
    assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(missing.getStatus().getDescription())
        .isEqualTo("Not found: Collection `missing` doesn't exist!");

    StatusRuntimeException taken = failure(() -> update(createAlias("other", "c")));
    assertThat(taken.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(taken.getStatus().getDescription())
        .isEqualTo("Wrong input: Collection `other` already exists!");

    StatusRuntimeException unknown = failure(() -> update(rename("nope", "x")));
    assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(unknown.getStatus().getDescription())
        .isEqualTo("Not found: Alias nope does not exists!");

    // a failing action ends the batch; the ones before it stay applied, as in Qdrant
    failure(() -> update(createAlias("a1", "c"), rename("nope", "x"), createAlias("a2", "c")));
    assertThat(client.listCollectionAliasesAsync("c").get()).containsExactly("a1");

    StatusRuntimeException aliasName =
        failure(
            () ->
                collections()
                    .create(
                        Collections.CreateCollection.newBuilder()
                            .setCollectionName("a1")
                            .setVectorsConfig(
                                Collections.VectorsConfig.newBuilder()
                                    .setParams(
                                        VectorParams.newBuilder()
                                            .setSize(2)
                                            .setDistance(Distance.Dot)))
                            .build()));
    assertThat(aliasName.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(aliasName.getStatus().getDescription())
        .isEqualTo(
            "Wrong input: Can't create collection with name a1. Alias with the same name already"
                + " exists");

    StatusRuntimeException malformed = failure(() -> update(AliasOperations.getDefaultInstance()));
    assertThat(malformed.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(malformed.getStatus().getDescription()).isEqualTo("Malformed AliasOperation type");

    StatusRuntimeException zeroTimeout =
        failure(
            () ->
                collections()
                    .updateAliases(
                        Collections.ChangeAliases.newBuilder()
                            .addActions(delete("a1"))
                            .setTimeout(0)
                            .build()));
    assertThat(zeroTimeout.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(client.listCollectionAliasesAsync("c").get()).containsExactly("a1");

    StatusRuntimeException gone =
        failure(
            () ->
                collections()
                    .get(
                        Collections.GetCollectionInfoRequest.newBuilder()
                            .setCollectionName("x")
                            .build()));
    assertThat(gone.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void aStoreWithoutAliasesRefusesThemNeverIgnoresThem() throws Exception {
    InMemoryVectorStore engine = new InMemoryVectorStore();
    VectorStore plain =
        (VectorStore)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {VectorStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("extension")) {
                    return Optional.empty();
                  }
                  if (method.getName().equals("isSupported") && args[0] == Capability.ALIASES) {
                    return false;
                  }
                  return method.invoke(engine, args);
                });
    start(QdrantTestServer.builder().port(0).backend(plain).start());
    create("c");
    for (Runnable call :
        List.<Runnable>of(
            () -> update(createAlias("a", "c")),
            () -> collections().listAliases(Collections.ListAliasesRequest.getDefaultInstance()),
            () ->
                collections()
                    .listCollectionAliases(
                        Collections.ListCollectionAliasesRequest.newBuilder()
                            .setCollectionName("c")
                            .build()))) {
      StatusRuntimeException e = failure(call);
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
      assertThat(e.getStatus().getDescription()).contains("does not offer aliases");
    }
    assertThat(client.countAsync("c").get()).isZero(); // the rest still works
    engine.close();
  }
}
