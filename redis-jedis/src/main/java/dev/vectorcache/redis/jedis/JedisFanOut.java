package dev.vectorcache.redis.jedis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.util.IOUtils;

/**
 * Sends several commands in one round trip per node, with every node at once, on the caller's
 * thread: the commands are grouped by the node that serves their hash slot (one group on one node
 * or a Sentinel master), each group is written into a {@link Pipeline} on a pooled connection to
 * its node and flushed, and only when every node has its commands are the replies read, node after
 * node. The nodes thus work in parallel without a thread per node.
 *
 * <p>Why not Jedis' own {@code ClusterPipeline}: in Jedis 7.1.0 its {@code
 * MultiNodePipelineBase.sync()} starts a new fixed pool of {@code MULTI_NODE_PIPELINE_SYNC_WORKERS}
 * (3) unnamed, non-daemon threads on every sync and shuts it down afterwards, removes entries of
 * its map from those threads (a {@code TODO} there says it is not thread-safe), logs a node's
 * connection failure at ERROR and leaves that node's responses unset, and does not follow {@code
 * MOVED}. Here a command whose node failed or answered {@code MOVED}/{@code ASK} is sent again
 * alone through {@link UnifiedJedis} (whose cluster executor follows redirects, renews the slot map
 * and retries within the command timeout), once the slot map was renewed; a command that must not
 * be sent twice (a {@code PUBLISH}) fails the call instead.
 */
final class JedisFanOut {
  private JedisFanOut() {}

  /**
   * One command.
   *
   * @param slot its hash slot (any value off a cluster)
   * @param inPipeline appends it to a node's pipeline
   * @param alone sends it alone through the client, after a redirect or a failed node
   * @param resendable whether sending it twice is harmless
   * @param <T> its reply
   */
  record Command<T>(
      int slot,
      Function<Pipeline, Response<T>> inPipeline,
      Function<UnifiedJedis, T> alone,
      boolean resendable) {}

  /**
   * A command's reply, or the error the server answered to it.
   *
   * @param value the reply, when there was no error
   * @param error the server's error reply
   * @param <T> the reply
   */
  record Reply<T>(@Nullable T value, @Nullable JedisDataException error) {}

  private static final class Node {
    final @Nullable HostAndPort node;
    final List<Integer> commands = new ArrayList<>();
    @Nullable Connection connection;
    @Nullable Pipeline pipeline;
    @Nullable JedisException failure;

    Node(@Nullable HostAndPort node) {
      this.node = node;
    }
  }

  /**
   * Sends {@code commands}, to a replica of each slot's primary when {@code toReplicas} (on a
   * cluster read with {@code READONLY} connections); returns their replies in order. Throws the
   * client's exception when a node cannot be reached and a command cannot be resent (off a cluster,
   * nothing is resent).
   */
  static <T> List<Reply<T>> send(
      JedisConnections connections, List<Command<T>> commands, boolean toReplicas) {
    ClusterConnectionProvider cluster = connections.cluster();
    Map<String, Node> byNode = new LinkedHashMap<>();
    List<Node> nodeOf = new ArrayList<>(commands.size());
    for (int i = 0; i < commands.size(); i++) {
      HostAndPort node = cluster == null ? null : cluster.getNode(commands.get(i).slot());
      Node n = byNode.computeIfAbsent(String.valueOf(node), k -> new Node(node));
      n.commands.add(i);
      nodeOf.add(n);
    }
    List<@Nullable Response<T>> responses = new ArrayList<>(commands.size());
    for (int i = 0; i < commands.size(); i++) {
      responses.add(null);
    }
    try {
      for (Node n : byNode.values()) {
        write(connections, n, commands, responses, toReplicas);
      }
      for (Node n : byNode.values()) {
        Pipeline p = n.pipeline;
        if (n.failure == null && p != null) {
          try {
            p.sync();
          } catch (JedisException e) {
            n.failure = e;
          }
        }
      }
    } finally {
      for (Node n : byNode.values()) {
        IOUtils.closeQuietly(n.connection); // back to its pool; a broken one is dropped
      }
    }
    return replies(connections, commands, nodeOf, responses);
  }

  private static <T> void write(
      JedisConnections connections,
      Node n,
      List<Command<T>> commands,
      List<@Nullable Response<T>> responses,
      boolean toReplicas) {
    try {
      ClusterConnectionProvider cluster = connections.cluster();
      // a replica serves every slot of its primary: one replica connection per primary
      Connection c =
          toReplicas && cluster != null
              ? cluster.getReplicaConnectionFromSlot(commands.get(n.commands.get(0)).slot())
              : connections.connection(n.node);
      n.connection = c;
      Pipeline p = new Pipeline(c);
      n.pipeline = p;
      for (int i : n.commands) {
        responses.set(i, commands.get(i).inPipeline().apply(p));
      }
      // flush without reading: every node gets its commands before any reply is read
      c.getMany(0);
    } catch (JedisException e) {
      n.failure = e;
    }
  }

  private static void renewQuietly(ClusterConnectionProvider cluster) {
    try {
      cluster.renewSlotCache();
    } catch (RuntimeException e) {
      // no node answered: the next call tries again, the periodic refresh too
    }
  }

  private static <T> List<Reply<T>> replies(
      JedisConnections connections,
      List<Command<T>> commands,
      List<Node> nodeOf,
      List<@Nullable Response<T>> responses) {
    List<Reply<T>> out = new ArrayList<>(commands.size());
    boolean renewed = false;
    for (int i = 0; i < commands.size(); i++) {
      Command<T> command = commands.get(i);
      JedisException failure = nodeOf.get(i).failure;
      Response<T> response = responses.get(i);
      if (failure == null && response != null) {
        try {
          out.add(new Reply<>(response.get(), null));
          continue;
        } catch (JedisRedirectionException e) {
          failure = e; // the slot moved: send it again below
        } catch (JedisDataException e) {
          out.add(new Reply<>(null, e));
          continue;
        }
      }
      ClusterConnectionProvider cluster = connections.cluster();
      if (cluster == null || !command.resendable()) {
        if (cluster != null && !renewed && !(failure instanceof JedisDataException)) {
          // not sent again (a PUBLISH may have gone out), but the next call must not find the
          // dead node again: only a redirect or Jedis's own retries would renew the slot map
          renewQuietly(cluster);
        }
        throw failure != null ? failure : new JedisException("no reply");
      }
      if (!renewed) {
        cluster.renewSlotCache();
        renewed = true;
      }
      try {
        out.add(new Reply<>(command.alone().apply(connections.client()), null));
      } catch (JedisRedirectionException e) {
        throw e;
      } catch (JedisDataException e) {
        out.add(new Reply<>(null, e));
      }
    }
    return out;
  }

  /** The value of a reply, or its error thrown. */
  static <T> T value(Reply<T> reply) {
    JedisDataException error = reply.error();
    if (error != null) {
      throw error;
    }
    T v = reply.value();
    if (v == null) {
      throw new JedisException("no reply");
    }
    return v;
  }
}
