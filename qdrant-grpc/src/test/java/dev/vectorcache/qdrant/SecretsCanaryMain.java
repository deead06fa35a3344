package dev.vectorcache.qdrant;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.spi.VectorStoreConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * The child JVM of {@link SecretsInLogsIT}: every logger at its most verbose (SLF4J at TRACE by the
 * command line, every {@code java.util.logging} logger at ALL, set again after the store opened, as
 * a logging configuration reloaded later would), then the adapter's calls with the API key, the
 * failures (wrong key, nothing listening) printed with their stack traces, and the {@code
 * toString()}s. Everything goes to standard output and error, which the test reads.
 *
 * <p>Arguments: the test server's port, its API key.
 */
public final class SecretsCanaryMain {
  /** Printed last: the run went through. */
  static final String DONE = "SECRETS-CANARY-RUN-DONE";

  /** Logged at INFO on the frame logger: proves INFO still passes and the capture sees JUL. */
  static final String CONTROL = "SECRETS-CANARY-CONTROL-LINE";

  /** The logger of grpc-netty-shaded's client frame logger, which prints request headers. */
  static final String NETTY_FRAMES = "io.grpc.netty.shaded.io.grpc.netty.NettyClientHandler";

  private SecretsCanaryMain() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String key = args[1];
    everyJulLoggerAt(Level.ALL);
    Logger root = Logger.getLogger("");
    Handler console = new ConsoleHandler();
    console.setLevel(Level.ALL);
    root.addHandler(console);

    VectorStoreConfig config =
        VectorStoreConfig.builder()
            .url("grpc://127.0.0.1:" + port)
            .apiKey(key)
            .timeout(Duration.ofSeconds(10))
            .build();
    try (QdrantVectorStore async = QdrantVectorStore.open(config)) {
      everyJulLoggerAt(Level.ALL); // the adapter raised the frame logger; lower it again
      Logger.getLogger(TransportLogging.FRAME_LOGGER).info(CONTROL);
      VectorStore store = async.blocking();
      exercise(store);
      System.out.println("store: " + async + " config: " + config);
    }
    failures(port, config);
    nettyControl(port, key);
    System.out.println(DONE);
  }

  private static void exercise(VectorStore store) {
    store.createCollection("canary", CollectionConfig.builder(2, Distance.DOT).build());
    store.upsert("canary", List.of(PointStruct.of(PointId.of(1), new float[] {1, 0}, Map.of())));
    store.search("canary", SearchRequest.builder(new float[] {1, 0}, 3).build());
    store.retrieve("canary", List.of(PointId.of(1)), PayloadSelector.ALL, true);
    store.count("canary", null);
    store.scroll("canary", ScrollRequest.firstPage(10));
    store.collectionInfo("canary");
    store.ping();
    store.delete("canary", List.of(PointId.of(1)));
    store.deleteCollection("canary");
  }

  private static void failures(int port, VectorStoreConfig config) {
    VectorStoreConfig wrongKey = config.mutate().apiKey("not-the-" + "key").build();
    try (QdrantVectorStore s = QdrantVectorStore.open(wrongKey)) {
      s.blocking().listCollections();
    } catch (RuntimeException e) {
      print(e);
    }
    VectorStoreConfig nobody =
        config.mutate().url("grpc://127.0.0.1:1").timeout(Duration.ofSeconds(2)).build();
    try (QdrantVectorStore s = QdrantVectorStore.open(nobody)) {
      s.blocking().listCollections();
    } catch (RuntimeException e) {
      print(e);
    }
    System.out.println("port " + port + " done");
  }

  /**
   * The control: the same key over a Netty channel, whose frame logger (SLF4J, DEBUG) prints it.
   * The test finds it there, and only there: the capture would see a leak.
   */
  private static void nettyControl(int port, String key) throws Exception {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try (QdrantClient client =
        new QdrantClient(
            QdrantGrpcClient.newBuilder(channel, true, false)
                .withApiKey(key)
                .withTimeout(Duration.ofSeconds(10))
                .build())) {
      client.listCollectionsAsync().get();
    }
  }

  private static void print(RuntimeException e) {
    System.out.println("failure: " + e);
    e.printStackTrace(System.out);
  }

  private static void everyJulLoggerAt(Level level) {
    LogManager manager = LogManager.getLogManager();
    Logger.getLogger("").setLevel(level);
    for (String name : Collections.list(manager.getLoggerNames())) {
      Logger logger = manager.getLogger(name);
      if (logger != null) {
        logger.setLevel(level);
      }
    }
  }
}
