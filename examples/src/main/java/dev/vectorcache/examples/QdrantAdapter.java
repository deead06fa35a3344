package dev.vectorcache.examples;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.AliasAction;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.DenseVectorConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.Fusion;
import dev.vectorcache.core.model.HybridQuery;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.MultiVectorPoint;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.ReadConsistency;
import dev.vectorcache.core.model.ReadOptions;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.ShardKey;
import dev.vectorcache.core.model.SparseSearch;
import dev.vectorcache.core.model.SparseVector;
import dev.vectorcache.core.model.SparseVectorParams;
import dev.vectorcache.core.model.TenantIndex;
import dev.vectorcache.core.model.VectorSearch;
import dev.vectorcache.core.model.WriteOptions;
import dev.vectorcache.core.model.WriteOrdering;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.ClusterRequests;
import dev.vectorcache.core.port.CollectionAliases;
import dev.vectorcache.core.port.MultiVectors;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.VectorStoreConfig;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections.AliasDescription;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * docs/qdrant.md: opening the gRPC adapter through the front door and creating a memory-optimised
 * collection. {@link #main} runs it against the in-process Qdrant-compatible test server, with an
 * API key; against a real Qdrant the URL is {@code http://localhost:6333}.
 */
public final class QdrantAdapter {
  private QdrantAdapter() {}

  /** Starts a test server, opens the adapter on it and prints the collection created. */
  public static void main(String[] args) throws Exception {
    try (QdrantTestServer server = QdrantTestServer.builder().port(0).apiKey("k3y").start()) {
      System.out.println(run(server.url(), "k3y"));
    }
  }

  /** Opens the adapter on {@code url}, creates collection "docs"; returns its info. */
  static String run(String url, String key) throws Exception {
    // tag::open[]
    Backends backends = Backends.discover();
    VectorStoreConfig config =
        VectorStoreConfig.builder().url(url).apiKey(key).timeout(Duration.ofSeconds(5)).build();
    VectorStore store = backends.openVectorStore(config);
    AsyncVectorStore async = backends.openAsyncVectorStore(config); // the native form
    QdrantClient client = store.unwrap(QdrantClient.class); // the official client
    // end::open[]
    try {
      // tag::memory-optimised[]
      store.createCollection("docs", CollectionConfig.memoryOptimized(384, Distance.COSINE));
      // end::memory-optimised[]
      return client.listCollectionsAsync().get()
          + " "
          + store.collectionInfo("docs").config().storageMode()
          + " "
          + cluster(store)
          + " "
          + aliases(store)
          + " "
          + hybrid(store);
    } finally {
      async.close();
      store.close();
    }
  }

  /** docs/qdrant.md "Qdrant clusters": cluster settings and per-request options; returns hits. */
  static int cluster(VectorStore store) {
    List<PointStruct> points =
        List.of(PointStruct.of(PointId.of(1), new float[] {1, 0}, Map.of("tenant", "c")));
    SearchRequest request = SearchRequest.builder(new float[] {1, 0}, 10).build();
    // tag::cluster[]
    CollectionConfig config =
        CollectionConfig.builder(2, Distance.COSINE)
            .shardNumber(6) // shards per shard key (with automatic sharding: in all)
            .replicationFactor(2) // copies of each shard
            .writeConsistencyFactor(2) // copies that must apply a write before it is acknowledged
            .customSharding(ShardKey.of("tenant-a"), ShardKey.of("tenant-b"))
            .tenantIndex(TenantIndex.keyword("tenant"))
            .build();
    store.createCollection("tenants", config);
    ClusterRequests cluster = store.extension(ClusterRequests.class).orElseThrow();
    cluster.createShardKey("tenants", ShardKey.of("tenant-c")).join();
    WriteOptions toC =
        WriteOptions.builder()
            .shardKeys(ShardKey.of("tenant-c"))
            .ordering(WriteOrdering.STRONG)
            .build();
    cluster.upsert("tenants", points, toC).join();
    ReadOptions inC =
        ReadOptions.builder()
            .shardKeys(ShardKey.of("tenant-c"))
            .consistency(ReadConsistency.majority())
            .build();
    List<ScoredPoint> hits = cluster.search("tenants", request, inC).join();
    // end::cluster[]
    return hits.size();
  }

  /** docs/qdrant.md "Aliases": an alias switched in one step; returns what the two APIs list. */
  static String aliases(VectorStore store) throws Exception {
    store.createCollection("docs_v1", CollectionConfig.builder(2, Distance.COSINE).build());
    store.createCollection("docs_v2", CollectionConfig.builder(2, Distance.COSINE).build());
    List<PointStruct> points =
        List.of(PointStruct.of(PointId.of(1), new float[] {1, 0}, Map.of("v", "x")));
    // tag::aliases[]
    CollectionAliases aliases = store.extension(CollectionAliases.class).orElseThrow();
    aliases.updateAliases(List.of(AliasAction.create("live", "docs_v1"))).join();
    // ... build docs_v2, then move every reader and writer of "live" to it in one step
    aliases
        .updateAliases(List.of(AliasAction.delete("live"), AliasAction.create("live", "docs_v2")))
        .join();
    store.upsert("live", points); // an alias is accepted wherever a collection name is
    List<String> ofV2 = aliases.listAliases("docs_v2").join(); // [live]
    // the official client sees the same aliases
    QdrantClient client = store.unwrap(QdrantClient.class);
    List<AliasDescription> all = client.listAliasesAsync().get(); // live -> docs_v2
    // end::aliases[]
    return ofV2 + " " + all.size() + " " + store.count("docs_v2", null);
  }

  /**
   * docs/qdrant.md "Named vectors, sparse vectors and hybrid queries": a dense and a sparse vector
   * per point, searched together; returns the number of fused hits.
   */
  static int hybrid(VectorStore store) {
    // tag::hybrid[]
    MultiVectors mv = store.extension(MultiVectors.class).orElseThrow();
    mv.createCollection(
            "articles",
            MultiVectorConfig.of(
                Map.of("text", DenseVectorConfig.of(2, Distance.COSINE)),
                Map.of("bm25", SparseVectorParams.IDF))) // IDF statistics kept by Qdrant
        .join();
    mv.upsert(
            "articles",
            List.of(
                MultiVectorPoint.of(
                    PointId.of(1),
                    Map.of("text", new float[] {1, 0}),
                    Map.of("bm25", SparseVector.of(new int[] {17, 42}, new float[] {2, 1})),
                    Map.of("title", "Sparse vectors"))))
        .join();
    // a dense and a sparse search, fused by reciprocal rank
    SearchRequest dense = SearchRequest.builder(new float[] {0.9f, 0.1f}, 20).build();
    SparseSearch keywords = SparseSearch.of(SparseVector.of(new int[] {42}, new float[] {1}), 20);
    HybridQuery query =
        HybridQuery.of(
                Fusion.RRF,
                10,
                VectorSearch.dense("text", dense),
                VectorSearch.sparse("bm25", keywords))
            .withPayload(PayloadSelector.ALL);
    List<ScoredPoint> hits = mv.query("articles", query).join();
    // end::hybrid[]
    return hits.size();
  }
}
