package dev.vectorcache.testkit.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the sentinels and data nodes of a {@link RedisSentinelGroup} say, asked afresh on every
 * call: the primary they name, whether the group has settled around a primary, whether a failover
 * has finished. Each check returns why it does not hold yet, or null, for {@code Control.await}.
 */
final class SentinelGroupState {
  private final String masterName;
  private final @Nullable String password;
  private final List<RedisProcess> dataNodes;
  private final List<RedisProcess> sentinelNodes;
  private final int sentinels;

  /**
   * @param dataNodes the group's data nodes, a live view (killed ones stay in it)
   * @param sentinelNodes the group's sentinels, a live view
   * @param sentinels how many sentinels the group runs
   */
  SentinelGroupState(
      String masterName,
      @Nullable String password,
      List<RedisProcess> dataNodes,
      List<RedisProcess> sentinelNodes,
      int sentinels) {
    this.masterName = masterName;
    this.password = password;
    this.dataNodes = dataNodes;
    this.sentinelNodes = sentinelNodes;
    this.sentinels = sentinels;
  }

  private @Nullable Object command(RedisProcess node, String... args) {
    return Control.command(node, password, args);
  }

  /** The port of the primary {@code sentinel} names ({@code SENTINEL GET-MASTER-ADDR-BY-NAME}). */
  int masterPort(RedisProcess sentinel) {
    Object reply = command(sentinel, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName);
    if (reply instanceof List<?> addr && addr.size() == 2) {
      return Integer.parseInt(String.valueOf(addr.get(1)));
    }
    throw new IllegalStateException(sentinel + " does not know " + masterName);
  }

  /** Why the group around {@code primary} is not settled, or null when it is. */
  @Nullable String unsettled(RedisProcess primary) {
    if (!"master".equals(Control.role(primary, password))) {
      return primary + " is not a master";
    }
    List<RedisProcess> liveReplicas =
        dataNodes.stream().filter(p -> p != primary && p.isAlive()).toList();
    for (RedisProcess r : liveReplicas) {
      Map<String, String> repl = Control.fields(command(r, "INFO", "replication"));
      if (!"up".equals(repl.get("master_link_status"))
          || !Integer.toString(primary.port()).equals(repl.get("master_port"))) {
        return r + " does not replicate " + primary + " yet: " + repl.get("master_link_status");
      }
    }
    for (RedisProcess s : sentinelNodes) {
      if (!s.isAlive()) {
        continue;
      }
      if (masterPort(s) != primary.port()) {
        return s + " names another primary";
      }
      Map<String, String> master = Control.pairs(command(s, "SENTINEL", "MASTER", masterName));
      if (!Integer.toString(sentinels - 1).equals(master.get("num-other-sentinels"))) {
        return s + " knows " + master.get("num-other-sentinels") + " other sentinels";
      }
      int healthy = 0;
      for (Map<String, String> fields : replicasKnownTo(s)) {
        String flags = fields.getOrDefault("flags", "");
        String port = fields.getOrDefault("port", "");
        if (flags.equals("slave")
            && liveReplicas.stream().anyMatch(p -> port.equals(Integer.toString(p.port())))) {
          healthy++;
        }
      }
      if (healthy != liveReplicas.size()) {
        return s + " lists " + healthy + " healthy replicas of " + liveReplicas.size();
      }
    }
    return null;
  }

  /**
   * Why the failover away from the killed {@code old} primary is not finished, or null when every
   * live sentinel names the same new primary, none is still failing over, each lists {@code old} as
   * a replica of the new primary, and the new primary answers {@code ROLE} with {@code master}.
   */
  @Nullable String noNewPrimary(RedisProcess old) {
    Integer agreed = null;
    for (RedisProcess s : sentinelNodes) {
      if (!s.isAlive()) {
        continue;
      }
      int port = masterPort(s);
      if (port == old.port()) {
        return s + " still names the killed primary";
      }
      if (agreed != null && agreed != port) {
        return "sentinels name different primaries: " + agreed + " and " + port;
      }
      agreed = port;
      // done only once no sentinel is still failing over and each lists the killed node as a
      // replica of the new primary (switch-master): a node restarted before that races the
      // failover's last steps
      String flags =
          Control.pairs(command(s, "SENTINEL", "MASTER", masterName)).getOrDefault("flags", "");
      if (!flags.equals("master")) {
        return s + " flags the primary " + flags;
      }
      String oldPort = Integer.toString(old.port());
      if (replicasKnownTo(s).stream().noneMatch(r -> oldPort.equals(r.get("port")))) {
        return s + " does not list " + old + " as a replica yet";
      }
    }
    if (agreed == null) {
      return "no live sentinel";
    }
    RedisProcess next = dataNode(agreed);
    String role = Control.role(next, password);
    return role.equals("master") ? null : next + " answers ROLE " + role;
  }

  /** The fields of each replica a sentinel lists for the master ({@code SENTINEL REPLICAS}). */
  private List<Map<String, String>> replicasKnownTo(RedisProcess sentinel) {
    Object reply = command(sentinel, "SENTINEL", "REPLICAS", masterName);
    if (!(reply instanceof List<?> replicas)) {
      return List.of();
    }
    List<Map<String, String>> out = new ArrayList<>(replicas.size());
    for (Object r : replicas) {
      out.add(Control.pairs(r));
    }
    return out;
  }

  /** The data node on {@code port}. */
  RedisProcess dataNode(int port) {
    for (RedisProcess p : dataNodes) {
      if (p.port() == port) {
        return p;
      }
    }
    throw new IllegalStateException("port " + port + " is not a data node of the group");
  }
}
