package dev.vectorcache.testkit.redis;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.spi.HostAndPort;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.Topology;
import dev.vectorcache.testkit.TestCertificates;
import dev.vectorcache.testkit.TestRequirements;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A real Redis Cluster for integration tests: by default 3 primaries with one replica each, every
 * node a private {@code redis-server --cluster-enabled yes} {@link RedisProcess} on a free loopback
 * port, joined with {@code redis-cli --cluster create}. {@link #start} returns once every node
 * reports {@code cluster_state:ok}, all {@value #SLOTS} slots are served, every node sees the same
 * topology and every replica's link to its primary is up.
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.startOrSkip(RedisCluster.options().password("pw"))) {
 *   MetadataStoreConfig config = cluster.configBuilder().build(); // url + Topology.cluster(seeds)
 *   ...
 *   Duration took = cluster.killPrimaryAndAwaitFailover(cluster.primaryFor("key"), ofSeconds(20));
 *   cluster.restoreKilled(); // the killed node rejoins as a replica
 * }
 * }</pre>
 *
 * <p>{@code cluster-node-timeout} is short (1 s by default) so that a failover takes seconds; a
 * replica may always fail over ({@code cluster-replica-validity-factor 0}) and starts syncing at
 * once ({@code repl-diskless-sync-delay 0}), or a primary killed right after start would have no
 * replica able to take over. The cluster bus of each node is on a second free port ({@code
 * cluster-port}) rather than port + 10000, which may be past 65535 for an ephemeral port.
 *
 * <p>With {@link Options#tls(boolean)} every node speaks TLS only, clients and the cluster bus and
 * replication alike ({@code tls-cluster yes}, {@code tls-replication yes}); the certificates are
 * made at start with {@link TestCertificates} and deleted by {@link #close()}. With {@link
 * Options#password(String)} every node has {@code requirepass} and {@code masterauth}; the harness
 * controls nodes as the default user. Roles are always asked from the cluster ({@code CLUSTER
 * NODES}, {@code CLUSTER SLOTS}), never cached, so they stay right across failovers. Processes stop
 * by PID ({@link #close()}, or a JVM shutdown hook).
 */
public final class RedisCluster implements AutoCloseable {
  /** The number of hash slots of a Redis Cluster. */
  public static final int SLOTS = 16_384;

  private static final Duration FORM_TIMEOUT = Duration.ofSeconds(60);
  private static final Set<RedisCluster> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(RedisCluster::close), "vectorcache-redis-cluster-stop"));
  }

  private final Options options;
  private final NodeSettings.TlsSetup tlsSetup;
  private final List<RedisProcess> nodes = new CopyOnWriteArrayList<>();
  private final List<RedisProcess> killed = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private RedisCluster(Options options, NodeSettings.TlsSetup tlsSetup) {
    this.options = options;
    this.tlsSetup = tlsSetup;
  }

  /**
   * Options with every default: 3 primaries, 1 replica each, 1 s node timeout, plain text, no
   * password.
   *
   * @return the default options
   */
  public static Options options() {
    return Options.DEFAULT;
  }

  /**
   * Starts a cluster when {@code redis-server} and {@code redis-cli} are found, else skips the test
   * (or fails it when {@value TestRequirements#REQUIRED_PROPERTY}{@code =true}).
   *
   * @param options the cluster's options
   * @return the running, settled cluster
   */
  public static RedisCluster startOrSkip(Options options) {
    Optional<Path> server = RedisProcess.findBinary();
    TestRequirements.requireOrSkip(
        server.isPresent() && server.flatMap(Control::findCli).isPresent(),
        "a Redis Cluster test needs redis-server and redis-cli on the PATH"
            + " (apt-get install redis-server, or set vectorcache.redis.server)");
    return start(options);
  }

  /**
   * Starts the nodes, creates the cluster and waits until it is settled.
   *
   * @param options the cluster's options
   * @return the running cluster
   * @throws IllegalStateException when a binary is missing or the cluster does not form in time
   */
  public static RedisCluster start(Options options) {
    Objects.requireNonNull(options, "options");
    Path server =
        RedisProcess.findBinary()
            .orElseThrow(() -> new IllegalStateException("no redis-server binary found"));
    Path cli =
        Control.findCli(server)
            .orElseThrow(() -> new IllegalStateException("no redis-cli found beside " + server));
    RedisCluster cluster =
        new RedisCluster(options, options.settings.prepareTls("vectorcache-redis-cluster-"));
    LIVE.add(cluster);
    try {
      int total = options.primaries * (1 + options.replicasPerPrimary);
      for (int i = 0; i < total; i++) {
        cluster.nodes.add(cluster.startNode(server));
      }
      cluster.create(cli);
      cluster.awaitSettled(System.nanoTime(), FORM_TIMEOUT, "cluster forming");
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  // ---------------------------------------------------------------- addresses and config

  /**
   * The current primaries as seed nodes for {@link Topology#cluster(List)}.
   *
   * @return one address per primary, in slot order
   */
  public List<HostAndPort> seeds() {
    return primaries().stream().map(p -> HostAndPort.of(p.host(), p.port())).toList();
  }

  /**
   * A single-node style URL of the first primary ({@code rediss://} with TLS), with the default
   * user's password when one is set; use it with {@code topology(Topology.cluster(seeds()))}, as
   * {@link #configBuilder()} does.
   *
   * @return the URL
   */
  public String url() {
    return Control.url(tls().orElse(null), null, options.settings.password, firstPrimaryPort());
  }

  /**
   * Like {@link #url()}, with the credentials of an ACL user.
   *
   * @param username the user, for example one set with {@link Options#aclUser}
   * @param password its password
   * @return the URL
   */
  public String url(String username, String password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    return Control.url(tls().orElse(null), username, password, firstPrimaryPort());
  }

  /**
   * A config builder preset for this cluster: {@link #url()}, {@code Topology.cluster(seeds())},
   * and with TLS a {@link dev.vectorcache.spi.TlsConfig} trusting the test CA (and presenting the
   * client certificate when the nodes ask for one).
   *
   * @return a builder to add the test's own settings to
   */
  public MetadataStoreConfig.Builder configBuilder() {
    MetadataStoreConfig.Builder b =
        MetadataStoreConfig.builder().url(url()).topology(Topology.cluster(seeds()));
    tls().ifPresent(t -> b.tls(Control.tlsConfig(t)));
    return b;
  }

  /**
   * The TLS settings of the nodes.
   *
   * @return the settings, or empty for a plain-text cluster
   */
  public Optional<RedisTls> tls() {
    return Optional.ofNullable(tlsSetup.tls());
  }

  /**
   * The options the cluster was started with.
   *
   * @return the options
   */
  public Options startedWith() {
    return options;
  }

  // ---------------------------------------------------------------- topology, asked live

  /**
   * Every node, live or killed, in start order.
   *
   * @return the nodes
   */
  public List<RedisProcess> nodes() {
    return List.copyOf(nodes);
  }

  /**
   * The live primaries serving slots, as the cluster sees them now, ordered by their first slot.
   *
   * @return the primaries
   */
  public List<RedisProcess> primaries() {
    List<ClusterView.Entry> view = view(anyLiveNode());
    return view.stream()
        .filter(e -> e.master() && !e.failing() && !e.slots().isEmpty())
        .sorted(Comparator.comparingInt(ClusterView.Entry::firstSlot))
        .map(e -> node(e.port()))
        .filter(RedisProcess::isAlive)
        .toList();
  }

  /**
   * The live replicas, as the cluster sees them now.
   *
   * @return the replicas, in start order
   */
  public List<RedisProcess> replicas() {
    Set<Integer> replicaPorts = ConcurrentHashMap.newKeySet();
    for (ClusterView.Entry e : view(anyLiveNode())) {
      if (!e.master()) {
        replicaPorts.add(e.port());
      }
    }
    return nodes.stream().filter(p -> p.isAlive() && replicaPorts.contains(p.port())).toList();
  }

  /**
   * The primary serving {@code key}'s slot now, asked with {@code CLUSTER SLOTS}.
   *
   * @param key a key, hash tags honoured
   * @return the node
   */
  public RedisProcess primaryFor(String key) {
    int slot = slot(key);
    Object reply = command(anyLiveNode(), "CLUSTER", "SLOTS");
    if (reply instanceof List<?> ranges) {
      for (Object r : ranges) {
        List<?> range = (List<?>) r;
        long from = (Long) range.get(0);
        long to = (Long) range.get(1);
        if (slot >= from && slot <= to) {
          List<?> master = (List<?>) range.get(2);
          return node(((Long) master.get(1)).intValue());
        }
      }
    }
    throw new IllegalStateException("no node serves slot " + slot + " of " + key);
  }

  /**
   * The hash slot of {@code key}: CRC16 (XMODEM) of its UTF-8 bytes modulo {@value #SLOTS}, of only
   * the part between the first {@code {}} and the next {@code }}} when that part is not empty.
   *
   * @param key the key
   * @return the slot, 0 to 16383
   */
  public static int slot(String key) {
    return ClusterSupport.slot(key);
  }

  /**
   * A command on a fresh control connection to {@code node}, as the default user.
   *
   * @param node one of this cluster's nodes
   * @param args the command
   * @return the reply
   */
  public @Nullable Object command(RedisProcess node, String... args) {
    return Control.command(node, options.settings.password, args);
  }

  // ---------------------------------------------------------------- faults

  /**
   * Kills {@code primary} with SIGKILL and waits until one of its replicas took over: every live
   * node reports {@code cluster_state:ok}, all slots are served by live primaries and the live
   * nodes agree on the topology.
   *
   * @param primary a current primary with a live replica
   * @param max how long the failover may take
   * @return the time from the kill until the cluster was settled
   * @throws IllegalArgumentException when {@code primary} is not a current primary of this cluster
   * @throws IllegalStateException when the failover did not settle within {@code max}
   */
  public Duration killPrimaryAndAwaitFailover(RedisProcess primary, Duration max) {
    Objects.requireNonNull(primary, "primary");
    Objects.requireNonNull(max, "max");
    if (!primaries().contains(primary)) {
      throw new IllegalArgumentException(primary + " is not a current primary of this cluster");
    }
    if (!hasLiveReplica(primary)) {
      throw new IllegalStateException(primary + " has no live replica to fail over to");
    }
    long start = System.nanoTime();
    primary.kill();
    killed.add(primary);
    return awaitSettled(start, max, "failover after killing " + primary);
  }

  /**
   * Restarts every node killed by {@link #killPrimaryAndAwaitFailover}; each keeps its {@code
   * nodes.conf} and rejoins as a replica (of the primary that replaced it). Returns once the
   * cluster is settled again with every node live, so a test can fail over again.
   *
   * @throws IllegalStateException when the cluster does not settle in time
   */
  public void restoreKilled() {
    List<RedisProcess> again = List.copyOf(killed);
    for (RedisProcess p : again) {
      p.restart();
      killed.remove(p);
    }
    awaitSettled(System.nanoTime(), FORM_TIMEOUT, "rejoining of " + again);
  }

  /** {@code FLUSHALL} on each current primary (replicas follow). */
  public void flushAllPrimaries() {
    for (RedisProcess p : primaries()) {
      command(p, "FLUSHALL");
    }
  }

  /** Stops every node by its PID and deletes their directories and the certificates. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    LIVE.remove(this);
    for (RedisProcess p : nodes) {
      p.close();
    }
    tlsSetup.delete();
  }

  @Override
  public String toString() {
    return "RedisCluster[" + nodes.size() + " nodes, " + options + "]";
  }

  // ---------------------------------------------------------------- internals

  private RedisProcess startNode(Path server) {
    IllegalStateException last = new IllegalStateException("no cluster node started");
    // the bus port is picked here, so a bus port taken meanwhile is retried with another
    for (int attempt = 0; attempt < 3; attempt++) {
      List<String> lines = new ArrayList<>();
      lines.add("cluster-enabled yes");
      lines.add("cluster-config-file nodes.conf");
      lines.add("cluster-node-timeout " + options.nodeTimeout.toMillis());
      lines.add("cluster-port " + RedisProcess.freePort());
      lines.add("cluster-replica-validity-factor 0");
      lines.add("cluster-allow-replica-migration no");
      lines.add("repl-diskless-sync-delay 0");
      lines.addAll(options.settings.dataNodeLines());
      RedisTls tls = tlsSetup.tls();
      try {
        if (tls == null) {
          return RedisProcess.start(server, lines);
        }
        lines.add("tls-cluster yes");
        lines.addAll(tls.peerConfigLines());
        return RedisProcess.start(server, tls, lines);
      } catch (IllegalStateException e) {
        last = e;
      }
    }
    throw last;
  }

  private void create(Path cli) {
    ClusterSupport.create(
        cli,
        nodes,
        options.replicasPerPrimary,
        tlsSetup.tls(),
        options.settings.password,
        FORM_TIMEOUT);
  }

  private Duration awaitSettled(long start, Duration max, String what) {
    return Control.await(start, max, what, this::unsettled);
  }

  /** Why the cluster is not settled yet, or null when it is. */
  private @Nullable String unsettled() {
    List<RedisProcess> live = nodes.stream().filter(RedisProcess::isAlive).toList();
    Set<Integer> livePorts = ConcurrentHashMap.newKeySet();
    live.forEach(p -> livePorts.add(p.port()));
    String reference = null;
    for (RedisProcess p : live) {
      Map<String, String> info = Control.fields(command(p, "CLUSTER", "INFO"));
      if (!"ok".equals(info.get("cluster_state"))
          || !Integer.toString(SLOTS).equals(info.get("cluster_slots_ok"))
          || !Integer.toString(nodes.size()).equals(info.get("cluster_known_nodes"))) {
        return p.port() + " reports " + info;
      }
      List<ClusterView.Entry> view = view(p);
      StringBuilder agreed = new StringBuilder();
      for (ClusterView.Entry e : view) {
        if (!livePorts.contains(e.port())) {
          if (!e.slots().isEmpty()) {
            return p.port() + " sees slots on a dead node: " + e;
          }
          continue;
        }
        if (e.failing() || !e.connected()) {
          return p.port() + " sees a live node failing or disconnected: " + e;
        }
        agreed.append(e.agreedPart(view)).append('\n');
      }
      if (reference == null) {
        reference = agreed.toString();
      } else if (!reference.equals(agreed.toString())) {
        return "nodes disagree:\n" + reference + "---\n" + agreed;
      }
      if (!ClusterView.isMaster(view, p.port())) {
        Map<String, String> repl = Control.fields(command(p, "INFO", "replication"));
        if (!"up".equals(repl.get("master_link_status"))) {
          return "replica " + p.port() + " link to its primary is not up yet";
        }
      }
    }
    return null;
  }

  private boolean hasLiveReplica(RedisProcess primary) {
    List<ClusterView.Entry> view = view(primary);
    String id = "";
    for (ClusterView.Entry e : view) {
      if (e.port() == primary.port()) {
        id = e.id();
      }
    }
    for (ClusterView.Entry e : view) {
      if (!e.master() && e.masterId().equals(id) && node(e.port()).isAlive()) {
        return true;
      }
    }
    return false;
  }

  private List<ClusterView.Entry> view(RedisProcess p) {
    return ClusterView.parse(String.valueOf(command(p, "CLUSTER", "NODES")));
  }

  private int firstPrimaryPort() {
    return primaries().stream()
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the cluster has no live primary"))
        .port();
  }

  private RedisProcess anyLiveNode() {
    return nodes.stream()
        .filter(RedisProcess::isAlive)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no live node in " + this));
  }

  private RedisProcess node(int port) {
    for (RedisProcess p : nodes) {
      if (p.port() == port) {
        return p;
      }
    }
    throw new IllegalStateException("port " + port + " is not a node of " + this);
  }

  /**
   * Options of a {@link RedisCluster}: immutable, every setter returns a changed copy.
   *
   * <p>{@code RedisCluster.options().nodeTimeout(Duration.ofMillis(500)).tls(true)}
   */
  public static final class Options {
    /** {@code cluster-node-timeout}: 1 second, so that a failover takes a few seconds. */
    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(1);

    /** Three primaries, the fewest {@code redis-cli --cluster create} accepts. */
    public static final int DEFAULT_PRIMARIES = 3;

    /** One replica per primary. */
    public static final int DEFAULT_REPLICAS_PER_PRIMARY = 1;

    static final Options DEFAULT =
        new Options(
            DEFAULT_NODE_TIMEOUT,
            DEFAULT_PRIMARIES,
            DEFAULT_REPLICAS_PER_PRIMARY,
            NodeSettings.DEFAULT);

    private final Duration nodeTimeout;
    private final int primaries;
    private final int replicasPerPrimary;
    final NodeSettings settings;

    private Options(
        Duration nodeTimeout, int primaries, int replicasPerPrimary, NodeSettings settings) {
      this.nodeTimeout = nodeTimeout;
      this.primaries = primaries;
      this.replicasPerPrimary = replicasPerPrimary;
      this.settings = settings;
    }

    /**
     * {@code cluster-node-timeout}, from 100 ms to 60 s. Default {@link #DEFAULT_NODE_TIMEOUT}.
     *
     * @param timeout the timeout
     * @return changed options
     */
    public Options nodeTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "nodeTimeout");
      if (timeout.toMillis() < 100 || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
        throw new InvalidInputException("nodeTimeout", "100 ms to 60 s", timeout);
      }
      return new Options(timeout, primaries, replicasPerPrimary, settings);
    }

    /**
     * Every node TLS only, clients, cluster bus and replication alike. Default off.
     *
     * @param on whether to use TLS
     * @return changed options
     */
    public Options tls(boolean on) {
      return new Options(nodeTimeout, primaries, replicasPerPrimary, settings.withTls(on));
    }

    /**
     * Whether TLS nodes ask clients for a certificate. Default {@link
     * RedisTls.ClientAuth#REQUIRED}, Redis's default ({@link #configBuilder()} then presents the
     * test client certificate).
     *
     * @param auth the {@code tls-auth-clients} value
     * @return changed options
     */
    public Options tlsClientAuth(RedisTls.ClientAuth auth) {
      return new Options(nodeTimeout, primaries, replicasPerPrimary, settings.withClientAuth(auth));
    }

    /**
     * Certificates to use instead of making new ones at start (the caller owns their directory).
     *
     * @param certificates the test certificates
     * @return changed options
     */
    public Options certificates(TestCertificates certificates) {
      return new Options(
          nodeTimeout, primaries, replicasPerPrimary, settings.withCertificates(certificates));
    }

    /**
     * The default user's password on every node ({@code requirepass} and {@code masterauth}).
     * Default none. Never shown by {@code toString()}.
     *
     * @param password the password, or null for none
     * @return changed options
     */
    public Options password(@Nullable String password) {
      return new Options(
          nodeTimeout, primaries, replicasPerPrimary, settings.withPassword(password));
    }

    /**
     * An extra ACL user on every node: {@code user <name> <rules...> ><password>}. The rules are
     * applied as given, so include {@code on} to enable the user. The harness keeps controlling
     * nodes as the default user. A second call with the same name replaces the user.
     *
     * @param name the user name, not {@code default}
     * @param password its password
     * @param rules ACL rules, for example {@code on}, {@code ~vc:*}, {@code &*}, {@code +get}
     * @return changed options
     */
    public Options aclUser(String name, String password, List<String> rules) {
      return new Options(
          nodeTimeout, primaries, replicasPerPrimary, settings.withAclUser(name, password, rules));
    }

    /**
     * The number of primaries, 3 to 16. Default {@value #DEFAULT_PRIMARIES}.
     *
     * @param count the number
     * @return changed options
     */
    public Options primaries(int count) {
      if (count < 3 || count > 16) {
        throw new InvalidInputException("primaries", "3 to 16", count);
      }
      return new Options(nodeTimeout, count, replicasPerPrimary, settings);
    }

    /**
     * Replicas of each primary, 0 to 3 (a failover needs at least 1). Default {@value
     * #DEFAULT_REPLICAS_PER_PRIMARY}.
     *
     * @param count the number
     * @return changed options
     */
    public Options replicasPerPrimary(int count) {
      if (count < 0 || count > 3) {
        throw new InvalidInputException("replicasPerPrimary", "0 to 3", count);
      }
      return new Options(nodeTimeout, primaries, count, settings);
    }

    /**
     * The node timeout.
     *
     * @return {@code cluster-node-timeout}
     */
    public Duration nodeTimeout() {
      return nodeTimeout;
    }

    /**
     * The number of primaries.
     *
     * @return the number
     */
    public int primaries() {
      return primaries;
    }

    /**
     * Replicas of each primary.
     *
     * @return the number
     */
    public int replicasPerPrimary() {
      return replicasPerPrimary;
    }

    @Override
    public String toString() {
      return "Options[primaries="
          + primaries
          + ", replicasPerPrimary="
          + replicasPerPrimary
          + ", nodeTimeout="
          + nodeTimeout
          + ", "
          + settings
          + "]";
    }
  }
}
