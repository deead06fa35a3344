package dev.vectorcache.qdrant.testserver;

import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.inmemory.EmbeddedOptions;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.qdrant.common.GrpcLogging;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A Qdrant-compatible gRPC server on a loopback port, backed by any {@link VectorStore} (the
 * in-memory engine by default), for tests that need a real gRPC Qdrant without Docker.
 *
 * <p>It serves the Collections service (Create, Get, List, Delete, CollectionExists, Update), the
 * Points service (Upsert, Get, Delete, Query, Search, Scroll, Count, the payload operations, field
 * indexes, the batches, vector updates, queries by example, groups, facets and matrices), the
 * Snapshots service (collection and full snapshots: Create, List, Delete, in {@linkplain
 * Builder#snapshotsDirectory(Path) a directory}; restored at start with {@link
 * Builder#restoreSnapshot(Path)}) and Qdrant.HealthCheck, with Qdrant's status codes, messages and
 * defaults. Tests can switch on {@linkplain #faults() faults} and read a {@linkplain
 * #requestCount(String) request counter} per method. It speaks plain text, or TLS ({@link
 * Builder#tls(Path, Path)}), optionally mutual ({@link Builder#clientCa(Path)}).
 *
 * <pre>{@code
 * try (QdrantTestServer server = QdrantTestServer.start()) {
 *   QdrantClient client = new QdrantClient(
 *       QdrantGrpcClient.newBuilder("127.0.0.1", server.port(), false).build());
 *   ...
 * }
 * }</pre>
 */
public final class QdrantTestServer implements AutoCloseable {
  /** The Qdrant version the server reports, so that the client's compatibility check passes. */
  public static final String VERSION = "1.18.3";

  /** The address the server binds. */
  public static final String HOST = "127.0.0.1";

  private final Server server;
  private final VectorStore backend;
  private final boolean ownsBackend;
  private final Faults faults = new Faults();
  private final Interceptors.Counting counting = new Interceptors.Counting();
  private final HeldCalls held = new HeldCalls();
  private final ScheduledExecutorService scheduler;
  private final boolean apiKeyRequired;
  private final boolean tls;
  private final Path snapshotsDirectory;
  private final boolean ownsSnapshotsDirectory;
  private final long peerId;
  private volatile boolean closed;

  private QdrantTestServer(Builder b) {
    this.ownsBackend = b.backend == null;
    this.backend = b.backend == null ? defaultBackend(b.storageDirectory) : b.backend;
    this.apiKeyRequired = b.apiKey != null;
    this.tls = b.certificateChain != null;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "qdrant-testserver-faults");
              t.setDaemon(true);
              return t;
            });
    ServerState state = new ServerState(backend);
    this.peerId = state.peerId();
    this.ownsSnapshotsDirectory = b.snapshotsDirectory == null;
    Path dir;
    try {
      dir = snapshotsDirectory(b.snapshotsDirectory);
    } catch (RuntimeException e) {
      scheduler.shutdownNow();
      if (ownsBackend) {
        backend.close();
      }
      throw e;
    }
    this.snapshotsDirectory = dir;
    try {
      restore(state, b.restore);
    } catch (RuntimeException e) {
      scheduler.shutdownNow();
      if (ownsBackend) {
        backend.close();
      }
      deleteSnapshotsDirectory();
      throw e;
    }
    NettyServerBuilder nb =
        NettyServerBuilder.forAddress(bindAddress(b.port), credentials(b))
            // Qdrant's default max_request_size_mb is 32
            .maxInboundMessageSize(32 * 1024 * 1024)
            .addService(new CollectionsService(state))
            .addService(new PointsService(state))
            .addService(new SnapshotsService(state, snapshotsDirectory, peerId))
            .addService(new HealthService())
            // interceptors run in the reverse order of registration: count, then auth, then faults
            .intercept(new FaultInjection(faults, scheduler, held));
    if (b.apiKey != null) {
      nb.intercept(new Interceptors.ApiKey(b.apiKey));
    }
    nb.intercept(counting);
    this.server = nb.build();
    try {
      server.start();
    } catch (IOException e) {
      scheduler.shutdownNow();
      if (ownsBackend) {
        backend.close();
      }
      deleteSnapshotsDirectory();
      throw new UncheckedIOException(
          "cannot start the Qdrant test server on " + HOST + ":" + b.port, e);
    }
  }

  /**
   * Plain text, or TLS with the builder's certificate and key, asking clients for a certificate
   * signed by the client CA when one is given.
   */
  private static ServerCredentials credentials(Builder b) {
    if (b.certificateChain == null || b.privateKey == null) {
      return InsecureServerCredentials.create();
    }
    try {
      TlsServerCredentials.Builder tls =
          TlsServerCredentials.newBuilder()
              .keyManager(b.certificateChain.toFile(), b.privateKey.toFile());
      if (b.clientCa != null) {
        tls.trustManager(b.clientCa.toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
      }
      return tls.build();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the test server's TLS certificate, key or client CA", e);
    }
  }

  /** The given directory (created if missing), or a new temporary one. */
  private static Path snapshotsDirectory(@Nullable Path given) {
    try {
      return given != null
          ? Files.createDirectories(given).toAbsolutePath()
          : Files.createTempDirectory("vectorcache-qdrant-snapshots-").toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the snapshots directory" + (given == null ? "" : " " + given), e);
    }
  }

  /**
   * Restores each snapshot file into the embedded engine, with the server's own state of each
   * collection (its CreateCollection request and payload schema).
   */
  private static void restore(ServerState state, List<Path> files) {
    if (files.isEmpty()) {
      return;
    }
    InMemoryVectorStore engine;
    try {
      engine = SnapshotsService.engine(state.store());
    } catch (StatusRuntimeException e) {
      throw new IllegalStateException(
          "restoreSnapshot needs the embedded engine as the backing store", e);
    }
    for (Path file : files) {
      SnapshotsService.reinstate(state, engine.restore(file));
    }
  }

  /** Deletes the temporary snapshots directory this server made, with its snapshots. */
  private void deleteSnapshotsDirectory() {
    if (!ownsSnapshotsDirectory) {
      return;
    }
    try (Stream<Path> paths = Files.walk(snapshotsDirectory)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      // a temporary directory: the OS cleans up what is left
    }
  }

  private static VectorStore defaultBackend(@Nullable Path storageDirectory) {
    return storageDirectory == null
        ? new InMemoryVectorStore()
        : new InMemoryVectorStore(
            EmbeddedOptions.builder().storageDirectory(storageDirectory).build());
  }

  /** Starts a server on a free loopback port, backed by a new in-memory store. */
  public static QdrantTestServer start() {
    return builder().start();
  }

  /** Starts a server on {@code port} (0 for a free one), backed by a new in-memory store. */
  public static QdrantTestServer start(int port) {
    return builder().port(port).start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The port the server listens on. */
  public int port() {
    return server.getPort();
  }

  /** {@value #HOST}. */
  public String host() {
    return HOST;
  }

  /**
   * The URL for the vectorcache front door: {@code grpc://127.0.0.1:PORT}, or {@code grpcs://} for
   * a TLS server.
   */
  public String url() {
    return (tls ? "grpcs://" : "grpc://") + HOST + ":" + port();
  }

  /** Whether the server speaks TLS (see {@link Builder#tls(Path, Path)}). */
  public boolean tls() {
    return tls;
  }

  /** The store behind the server; tests may read or seed it directly. */
  public VectorStore backend() {
    return backend;
  }

  /**
   * The directory of the Snapshots service: {@link Builder#snapshotsDirectory(Path)}, or a
   * temporary directory made at start and deleted by {@link #close()}.
   */
  public Path snapshotsDirectory() {
    return snapshotsDirectory;
  }

  /**
   * This server's peer id (random, one per server, as a new Qdrant's): in the names of collection
   * snapshots and in {@code CollectionClusterInfo}.
   */
  public long peerId() {
    return peerId;
  }

  /** Whether calls must carry the API key. */
  public boolean apiKeyRequired() {
    return apiKeyRequired;
  }

  /** The fault switch. */
  public Faults faults() {
    return faults;
  }

  /**
   * Calls of {@code method} (a bare gRPC method name such as {@code "Upsert"}, {@code "Query"},
   * {@code "HealthCheck"}) that reached the server since the last reset, including those refused.
   */
  public long requestCount(String method) {
    LongAdder n = counting.counts().get(method);
    return n == null ? 0 : n.sum();
  }

  /**
   * Calls that reached the server without a deadline since the last reset, all methods together: a
   * client that sets a deadline on every call keeps this at 0.
   */
  public long requestsWithoutDeadline() {
    return counting.withoutDeadline().values().stream().mapToLong(LongAdder::sum).sum();
  }

  /**
   * Calls a fault holds unanswered right now (a hang, a reply held back); they leave when answered
   * or cancelled by their client, and all are answered {@code UNAVAILABLE} when the server stops.
   */
  public int heldCalls() {
    return held.size();
  }

  /** Calls per method since the last reset, sorted by name. */
  public Map<String, Long> requestCounts() {
    Map<String, Long> out = new TreeMap<>();
    counting.counts().forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** All calls since the last reset, HealthCheck excepted (the client sends one when it starts). */
  public long totalRequests() {
    return requestCounts().entrySet().stream()
        .filter(e -> !e.getKey().equals("HealthCheck"))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** Forgets the request counts and the last requests. */
  public void resetRequestCounts() {
    counting.counts().clear();
    counting.withoutDeadline().clear();
    counting.last().clear();
  }

  /**
   * The last request message received for {@code method} (for example a {@code Points.QueryPoints}
   * for {@code "Query"}), so tests can check what a client sent; {@code null} when none arrived
   * since the last reset.
   */
  public <T> @Nullable T lastRequest(String method, Class<T> type) {
    Object m = counting.last().get(method);
    return m == null ? null : type.cast(m);
  }

  // HOST is a literal IPv4 address: no name lookup, and exactly one address to bind
  @SuppressWarnings("AddressSelection")
  private static InetSocketAddress bindAddress(int port) {
    return new InetSocketAddress(HOST, port);
  }

  public boolean isRunning() {
    return !closed;
  }

  /**
   * Stops the server (and the in-memory store it created). Calls a fault still holds are answered
   * {@code UNAVAILABLE} first, so no client waits on a stopped server. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    faults.clear();
    held.releaseAll();
    server.shutdown();
    try {
      if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
        server.shutdownNow();
        server.awaitTermination(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      scheduler.shutdownNow();
      if (ownsBackend) {
        backend.close();
      }
      deleteSnapshotsDirectory();
    }
  }

  /** Blocks until the server has stopped. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public String toString() {
    return "QdrantTestServer["
        + (tls ? "tls " : "")
        + HOST
        + ":"
        + (closed ? "closed" : port())
        + "]";
  }

  /** Settings of a {@link QdrantTestServer}. */
  public static final class Builder {
    private int port;
    private @Nullable String apiKey;
    private @Nullable VectorStore backend;
    private @Nullable Path certificateChain;
    private @Nullable Path privateKey;
    private @Nullable Path clientCa;
    private @Nullable Path snapshotsDirectory;
    private @Nullable Path storageDirectory;
    private final List<Path> restore = new ArrayList<>();

    private Builder() {}

    /** The loopback port; 0 (the default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be 0 to 65535: " + port);
      }
      this.port = port;
      return this;
    }

    /** Requires this API key on every call but HealthCheck; {@code null} for none. */
    public Builder apiKey(@Nullable String apiKey) {
      this.apiKey = apiKey == null || apiKey.isEmpty() ? null : apiKey;
      return this;
    }

    /**
     * The store to serve; the caller keeps ownership (the server does not close it). Default: a new
     * in-memory store, closed with the server.
     */
    public Builder backend(VectorStore backend) {
      this.backend = Objects.requireNonNull(backend, "backend");
      return this;
    }

    /**
     * Serves TLS only, presenting {@code certificateChain} (PEM) with {@code privateKey} (PKCS#8
     * PEM). Default: plain text.
     */
    public Builder tls(Path certificateChain, Path privateKey) {
      this.certificateChain = Objects.requireNonNull(certificateChain, "certificateChain");
      this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
      return this;
    }

    /**
     * Mutual TLS: every client must present a certificate signed by a CA of {@code caCertificates}
     * (PEM). Needs {@link #tls(Path, Path)}. Default: no client certificate asked for.
     */
    public Builder clientCa(Path caCertificates) {
      this.clientCa = Objects.requireNonNull(caCertificates, "caCertificates");
      return this;
    }

    /**
     * Where the Snapshots service keeps snapshot files (created if missing; kept when the server
     * stops). Default: a temporary directory made at start and deleted when the server stops.
     */
    public Builder snapshotsDirectory(Path directory) {
      this.snapshotsDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * Serves a durable embedded engine keeping its data in {@code directory} (created if missing):
     * a server started again on the same directory has every collection and point written before
     * (see {@code docs/storage.md}; fsync policy {@code ALWAYS}). The server's own echo of each
     * CreateCollection request and its payload schema are not kept: after a restart they are
     * derived from the engine, as for a collection restored from a snapshot without them. Not with
     * {@link #backend(VectorStore)}. Default: nothing is kept.
     */
    public Builder storageDirectory(Path directory) {
      this.storageDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * Restores a snapshot file at start, before the server answers: a collection snapshot (from the
     * Snapshots service's Create, or {@link InMemoryVectorStore#snapshot(String, Path)}) brings
     * back its collection under its name, a full snapshot every collection it holds. May be called
     * again for more files, restored in order; a collection restored twice is an error. Needs the
     * embedded engine as the backing store (the default). Qdrant restores with its {@code
     * --snapshot} and {@code --storage-snapshot} options; it has no gRPC call for it.
     */
    public Builder restoreSnapshot(Path file) {
      restore.add(Objects.requireNonNull(file, "file"));
      return this;
    }

    /**
     * Starts the server.
     *
     * @throws IllegalStateException for a client CA without TLS, or a snapshot to restore with
     *     another backing store than the embedded engine
     * @throws UncheckedIOException when the port is taken or a TLS file cannot be read
     * @throws dev.vectorcache.inmemory.SnapshotFormatException when a snapshot to restore is not
     *     one, has a newer format version or is damaged
     */
    public QdrantTestServer start() {
      if (clientCa != null && certificateChain == null) {
        throw new IllegalStateException("clientCa needs tls(certificateChain, privateKey) too");
      }
      if (storageDirectory != null && backend != null) {
        throw new IllegalStateException(
            "storageDirectory makes the server's own durable engine: not with backend(...)");
      }
      GrpcLogging.quietStartupChatter();
      return new QdrantTestServer(this);
    }
  }
}
