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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A real Redis Sentinel group for integration tests: one primary, one replica ({@code replicaof})
 * and three sentinels ({@code redis-server <conf> --sentinel}, quorum 2), each a private {@link
 * RedisProcess} on a free loopback port with its own configuration file. {@link #start} returns
 * once the replica's link is up and every sentinel knows the primary, the replica and the two other
 * sentinels, so that a failover can be authorized at once.
 *
 * <pre>{@code
 * try (RedisSentinelGroup group = RedisSentinelGroup.startOrSkip(RedisSentinelGroup.options())) {
 *   MetadataStoreConfig config = group.configBuilder().build(); // Topology.sentinel(...)
 *   Duration took = group.killPrimaryAndAwaitFailover(Duration.ofSeconds(20));
 *   group.restoreKilled(); // the old primary comes back; the sentinels make it a replica
 * }
 * }</pre>
 *
 * <p>Sentinels mark a node down after 1 s ({@code down-after-milliseconds}) and time a failover out
 * after 3 s ({@code failover-timeout}). At start the harness also shortens two of Sentinel's
 * internal periods with {@code SENTINEL DEBUG} ({@code info-period} 1 s instead of 10 s, {@code
 * publish-period} 0.5 s instead of 2 s): without it a restarted old primary waits up to 10 s before
 * a sentinel notices it and makes it a replica.
 *
 * <p>With {@link Options#tls(boolean)} the data nodes and the sentinels speak TLS only, and
 * replication and the sentinels' own links use TLS ({@code tls-replication yes}). With {@link
 * Options#password(String)} the data nodes and the sentinels have {@code requirepass}, replicas
 * {@code masterauth}, the sentinels {@code sentinel auth-pass} (and they authenticate to each other
 * with their {@code requirepass}). The current primary is always asked from a sentinel ({@code
 * SENTINEL GET-MASTER-ADDR-BY-NAME}), never cached. Processes stop by PID.
 */
public final class RedisSentinelGroup implements AutoCloseable {
  private static final Duration FORM_TIMEOUT = Duration.ofSeconds(60);
  private static final int SENTINELS = 3;
  private static final int QUORUM = 2;
  private static final Set<RedisSentinelGroup> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> LIVE.forEach(RedisSentinelGroup::close), "vectorcache-redis-sentinel-stop"));
  }

  private final Options options;
  private final NodeSettings.TlsSetup tlsSetup;
  private final List<RedisProcess> dataNodes = new CopyOnWriteArrayList<>();
  private final List<RedisProcess> sentinelNodes = new CopyOnWriteArrayList<>();
  private final List<RedisProcess> killed = new CopyOnWriteArrayList<>();
  private final SentinelGroupState state;
  private volatile boolean closed;

  private RedisSentinelGroup(Options options, NodeSettings.TlsSetup tlsSetup) {
    this.options = options;
    this.tlsSetup = tlsSetup;
    this.state =
        new SentinelGroupState(
            options.masterName, options.settings.password, dataNodes, sentinelNodes, SENTINELS);
  }

  /**
   * Options with every default: master name {@value Options#DEFAULT_MASTER_NAME}, plain text, no
   * password.
   *
   * @return the default options
   */
  public static Options options() {
    return Options.DEFAULT;
  }

  /**
   * Starts a group when {@code redis-server} is found, else skips the test (or fails it when
   * {@value TestRequirements#REQUIRED_PROPERTY}{@code =true}).
   *
   * @param options the group's options
   * @return the running, settled group
   */
  public static RedisSentinelGroup startOrSkip(Options options) {
    TestRequirements.requireOrSkip(
        RedisProcess.findBinary().isPresent(),
        "a Sentinel test needs redis-server on the PATH"
            + " (apt-get install redis-server, or set vectorcache.redis.server)");
    return start(options);
  }

  /**
   * Starts the data nodes and the sentinels and waits until the group is settled.
   *
   * @param options the group's options
   * @return the running group
   * @throws IllegalStateException when no binary is found or the group does not settle in time
   */
  public static RedisSentinelGroup start(Options options) {
    Objects.requireNonNull(options, "options");
    Path server =
        RedisProcess.findBinary()
            .orElseThrow(() -> new IllegalStateException("no redis-server binary found"));
    RedisSentinelGroup group =
        new RedisSentinelGroup(options, options.settings.prepareTls("vectorcache-redis-sentinel-"));
    LIVE.add(group);
    try {
      RedisProcess primary = group.startDataNode(server, null);
      group.dataNodes.add(primary);
      group.dataNodes.add(group.startDataNode(server, primary));
      for (int i = 0; i < SENTINELS; i++) {
        group.sentinelNodes.add(group.startSentinel(server, primary));
      }
      for (RedisProcess s : group.sentinelNodes) {
        group.speedUp(s);
      }
      Control.await(
          System.nanoTime(),
          FORM_TIMEOUT,
          "sentinel group forming",
          () -> group.state.unsettled(primary));
      return group;
    } catch (RuntimeException e) {
      group.close();
      throw e;
    }
  }

  // ---------------------------------------------------------------- addresses and config

  /**
   * The name the sentinels know the primary by.
   *
   * @return the master name
   */
  public String masterName() {
    return options.masterName;
  }

  /**
   * The sentinels, for {@link Topology#sentinel(String, List)}.
   *
   * @return their addresses
   */
  public List<HostAndPort> sentinels() {
    return sentinelNodes.stream().map(p -> HostAndPort.of(p.host(), p.port())).toList();
  }

  /**
   * The sentinel processes.
   *
   * @return the sentinels
   */
  public List<RedisProcess> sentinelProcesses() {
    return List.copyOf(sentinelNodes);
  }

  /**
   * A URL of the current primary ({@code rediss://} with TLS), with the default user's password
   * when one is set; use it with {@code topology(Topology.sentinel(masterName(), sentinels()))}, as
   * {@link #configBuilder()} does.
   *
   * @return the URL
   */
  public String url() {
    return Control.url(tls().orElse(null), null, options.settings.password, primary().port());
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
    return Control.url(tls().orElse(null), username, password, primary().port());
  }

  /**
   * A config builder preset for this group: {@link #url()}, {@code Topology.sentinel(masterName(),
   * sentinels())}, and with TLS a {@link dev.vectorcache.spi.TlsConfig} trusting the test CA (and
   * presenting the client certificate when the nodes ask for one).
   *
   * @return a builder to add the test's own settings to
   */
  public MetadataStoreConfig.Builder configBuilder() {
    MetadataStoreConfig.Builder b =
        MetadataStoreConfig.builder()
            .url(url())
            .topology(Topology.sentinel(masterName(), sentinels()));
    tls().ifPresent(t -> b.tls(Control.tlsConfig(t)));
    return b;
  }

  /**
   * The TLS settings of the data nodes and the sentinels.
   *
   * @return the settings, or empty for plain text
   */
  public Optional<RedisTls> tls() {
    return Optional.ofNullable(tlsSetup.tls());
  }

  // ---------------------------------------------------------------- topology, asked live

  /**
   * The current primary, asked from the first live sentinel with {@code SENTINEL
   * GET-MASTER-ADDR-BY-NAME}.
   *
   * @return the primary's process
   */
  public RedisProcess primary() {
    RedisProcess sentinel =
        sentinelNodes.stream()
            .filter(RedisProcess::isAlive)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no live sentinel"));
    return state.dataNode(state.masterPort(sentinel));
  }

  /**
   * The live data nodes other than the current primary.
   *
   * @return the replicas
   */
  public List<RedisProcess> replicas() {
    RedisProcess primary = primary();
    return dataNodes.stream().filter(p -> p.isAlive() && p != primary).toList();
  }

  /**
   * The data nodes, live or killed, in start order (the first was the first primary).
   *
   * @return the data nodes
   */
  public List<RedisProcess> dataNodes() {
    return List.copyOf(dataNodes);
  }

  /**
   * A command on a fresh control connection to a data node or a sentinel, as the default user.
   *
   * @param node one of this group's processes
   * @param args the command
   * @return the reply
   */
  public @Nullable Object command(RedisProcess node, String... args) {
    return Control.command(node, options.settings.password, args);
  }

  // ---------------------------------------------------------------- faults

  /**
   * Kills the current primary with SIGKILL and waits until every live sentinel names the same new
   * primary, has finished the failover (no failover in progress, the killed node listed as a
   * replica of the new primary) and that node answers {@code ROLE} with {@code master}.
   *
   * @param max how long the failover may take
   * @return the time from the kill until then
   * @throws IllegalStateException when there is no live replica or the failover did not happen in
   *     time
   */
  public Duration killPrimaryAndAwaitFailover(Duration max) {
    Objects.requireNonNull(max, "max");
    RedisProcess old = primary();
    if (replicas().isEmpty()) {
      throw new IllegalStateException("no live replica to fail over to from " + old);
    }
    long start = System.nanoTime();
    old.kill();
    killed.add(old);
    return Control.await(
        start, max, "failover after killing " + old, () -> state.noNewPrimary(old));
  }

  /**
   * Restarts the data nodes killed by {@link #killPrimaryAndAwaitFailover}. Each comes back with
   * its first configuration (an old primary as a primary); the sentinels make it a replica of the
   * current primary. Returns once it replicates and every sentinel lists it as a healthy replica.
   *
   * @throws IllegalStateException when that does not happen in time
   */
  public void restoreKilled() {
    List<RedisProcess> again = List.copyOf(killed);
    for (RedisProcess p : again) {
      p.restart();
      killed.remove(p);
    }
    Control.await(
        System.nanoTime(), FORM_TIMEOUT, "rejoining of " + again, () -> state.unsettled(primary()));
  }

  /** Stops every process by its PID and deletes their directories and the certificates. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    LIVE.remove(this);
    for (RedisProcess p : sentinelNodes) {
      p.close();
    }
    for (RedisProcess p : dataNodes) {
      p.close();
    }
    tlsSetup.delete();
  }

  @Override
  public String toString() {
    return "RedisSentinelGroup[" + dataNodes + ", sentinels " + sentinels() + ", " + options + "]";
  }

  // ---------------------------------------------------------------- internals

  private RedisProcess startDataNode(Path server, @Nullable RedisProcess primary) {
    List<String> lines = new ArrayList<>();
    lines.add("repl-diskless-sync-delay 0");
    lines.addAll(options.settings.dataNodeLines());
    if (primary != null) {
      lines.add("replicaof " + primary.host() + " " + primary.port());
    }
    RedisTls tls = tlsSetup.tls();
    if (tls == null) {
      return RedisProcess.start(server, lines);
    }
    lines.addAll(tls.peerConfigLines());
    return RedisProcess.start(server, tls, lines);
  }

  private RedisProcess startSentinel(Path server, RedisProcess primary) {
    String name = options.masterName; // validated: letters, digits, ._-
    List<String> lines = new ArrayList<>();
    lines.add(
        "sentinel monitor " + name + " " + primary.host() + " " + primary.port() + " " + QUORUM);
    lines.add("sentinel down-after-milliseconds " + name + " " + options.downAfter.toMillis());
    lines.add("sentinel failover-timeout " + name + " " + options.failoverTimeout.toMillis());
    lines.add("sentinel parallel-syncs " + name + " 1");
    String password = options.settings.password;
    if (password != null) {
      lines.add("sentinel auth-pass " + name + " " + NodeSettings.quote(password));
      // a sentinel also authenticates to the other sentinels with its requirepass
      lines.add("requirepass " + NodeSettings.quote(password));
    }
    RedisTls tls = tlsSetup.tls();
    if (tls != null) {
      lines.addAll(tls.peerConfigLines());
    }
    return RedisProcess.start(server, tls, lines, List.of("--sentinel"));
  }

  /** Shortens Sentinel's INFO and hello periods (see the class comment); absent before Redis 7. */
  private void speedUp(RedisProcess sentinel) {
    try {
      command(sentinel, "SENTINEL", "DEBUG", "info-period", "1000", "publish-period", "500");
    } catch (RespClient.ServerError e) {
      // an older Sentinel without SENTINEL DEBUG is only slower to notice a restarted node
    }
  }

  /**
   * Options of a {@link RedisSentinelGroup}: immutable, every setter returns a changed copy.
   *
   * <p>{@code RedisSentinelGroup.options().masterName("mymaster").tls(true)}
   */
  public static final class Options {
    /** The master name the sentinels monitor. */
    public static final String DEFAULT_MASTER_NAME = "vcmaster";

    /** {@code sentinel down-after-milliseconds}: 1 second. */
    public static final Duration DEFAULT_DOWN_AFTER = Duration.ofSeconds(1);

    /** {@code sentinel failover-timeout}: 3 seconds. */
    public static final Duration DEFAULT_FAILOVER_TIMEOUT = Duration.ofSeconds(3);

    static final Options DEFAULT =
        new Options(
            DEFAULT_MASTER_NAME,
            DEFAULT_DOWN_AFTER,
            DEFAULT_FAILOVER_TIMEOUT,
            NodeSettings.DEFAULT);

    private final String masterName;
    private final Duration downAfter;
    private final Duration failoverTimeout;
    final NodeSettings settings;

    private Options(
        String masterName, Duration downAfter, Duration failoverTimeout, NodeSettings settings) {
      this.masterName = masterName;
      this.downAfter = downAfter;
      this.failoverTimeout = failoverTimeout;
      this.settings = settings;
    }

    /**
     * The master name: letters, digits, {@code .}, {@code -}, {@code _}. Default {@value
     * #DEFAULT_MASTER_NAME}.
     *
     * @param name the name
     * @return changed options
     */
    public Options masterName(String name) {
      Objects.requireNonNull(name, "masterName");
      if (!name.matches("[A-Za-z0-9._-]+")) {
        throw new InvalidInputException("masterName", "letters, digits, '.', '-' or '_'", name);
      }
      return new Options(name, downAfter, failoverTimeout, settings);
    }

    /**
     * {@code sentinel down-after-milliseconds}, 100 ms to 60 s. Default {@link
     * #DEFAULT_DOWN_AFTER}.
     *
     * @param after how long a node may not answer before it is down
     * @return changed options
     */
    public Options downAfter(Duration after) {
      return new Options(masterName, range("downAfter", after), failoverTimeout, settings);
    }

    /**
     * {@code sentinel failover-timeout}, 100 ms to 60 s. Default {@link #DEFAULT_FAILOVER_TIMEOUT}.
     *
     * @param timeout the timeout
     * @return changed options
     */
    public Options failoverTimeout(Duration timeout) {
      return new Options(masterName, downAfter, range("failoverTimeout", timeout), settings);
    }

    /**
     * Data nodes and sentinels TLS only, replication and Sentinel's links too. Default off.
     *
     * @param on whether to use TLS
     * @return changed options
     */
    public Options tls(boolean on) {
      return new Options(masterName, downAfter, failoverTimeout, settings.withTls(on));
    }

    /**
     * Whether TLS nodes ask clients for a certificate. Default {@link
     * RedisTls.ClientAuth#REQUIRED}.
     *
     * @param auth the {@code tls-auth-clients} value
     * @return changed options
     */
    public Options tlsClientAuth(RedisTls.ClientAuth auth) {
      return new Options(masterName, downAfter, failoverTimeout, settings.withClientAuth(auth));
    }

    /**
     * Certificates to use instead of making new ones at start (the caller owns their directory).
     *
     * @param certificates the test certificates
     * @return changed options
     */
    public Options certificates(TestCertificates certificates) {
      return new Options(
          masterName, downAfter, failoverTimeout, settings.withCertificates(certificates));
    }

    /**
     * The default user's password on the data nodes and the sentinels. Default none.
     *
     * @param password the password, or null for none
     * @return changed options
     */
    public Options password(@Nullable String password) {
      return new Options(masterName, downAfter, failoverTimeout, settings.withPassword(password));
    }

    /**
     * An extra ACL user on the data nodes (not on the sentinels); see {@link
     * RedisCluster.Options#aclUser}.
     *
     * @param name the user name, not {@code default}
     * @param password its password
     * @param rules ACL rules, for example {@code on}, {@code ~vc:*}, {@code +get}
     * @return changed options
     */
    public Options aclUser(String name, String password, List<String> rules) {
      return new Options(
          masterName, downAfter, failoverTimeout, settings.withAclUser(name, password, rules));
    }

    private static Duration range(String field, Duration d) {
      Objects.requireNonNull(d, field);
      if (d.toMillis() < 100 || d.compareTo(Duration.ofSeconds(60)) > 0) {
        throw new InvalidInputException(field, "100 ms to 60 s", d);
      }
      return d;
    }

    @Override
    public String toString() {
      return "Options[masterName="
          + masterName
          + ", downAfter="
          + downAfter
          + ", failoverTimeout="
          + failoverTimeout
          + ", "
          + settings
          + "]";
    }
  }
}
