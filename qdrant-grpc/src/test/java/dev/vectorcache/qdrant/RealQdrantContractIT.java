package dev.vectorcache.qdrant;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.spi.VectorStoreConfig;
import dev.vectorcache.testkit.VectorStoreContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.qdrant.QdrantContainer;

/**
 * The VectorStore contract against a real Qdrant: {@code QDRANT_URL} (and {@code QDRANT_API_KEY})
 * when set, else a {@code qdrant/qdrant:v1.18.3} container when Docker is available. It is opt-in:
 * the build runs it only in the {@code real-qdrant} profile (active when {@code QDRANT_URL} is
 * set), and there it fails when no Qdrant can be had. The run against the test server ({@link
 * QdrantTestServerContractIT}) always happens.
 */
class RealQdrantContractIT extends VectorStoreContract {
  private static String url;
  private static String apiKey;
  private static QdrantContainer container;

  @BeforeAll
  static void locateQdrant() {
    String env = System.getenv("QDRANT_URL");
    if (env != null && !env.isBlank()) {
      url = env.trim();
      apiKey = System.getenv("QDRANT_API_KEY");
      return;
    }
    if (dockerAvailable()) {
      container = new QdrantContainer("qdrant/qdrant:v1.18.3");
      container.start();
      url = "grpc://" + container.getHost() + ":" + container.getMappedPort(6334);
      return;
    }
    String message =
        "no real Qdrant: set QDRANT_URL (e.g. http://localhost:6333) or make Docker available;"
            + " the contract still runs against the test server (QdrantTestServerContractIT)";
    if (Boolean.getBoolean("vectorcache.it.required")) {
      throw new IllegalStateException(message);
    }
    assumeTrue(false, message);
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable t) {
      return false;
    }
  }

  @AfterAll
  static void stopQdrant() {
    if (container != null) {
      container.stop();
    }
  }

  @Override
  protected VectorStore createStore() {
    return QdrantVectorStore.open(
            VectorStoreConfig.builder()
                .url(url)
                .apiKey(apiKey)
                .timeout(Duration.ofSeconds(30))
                .build())
        .blocking();
  }
}
