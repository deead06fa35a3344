package dev.vectorcache.redis.jedis;

import dev.vectorcache.core.port.ScoredSets;
import dev.vectorcache.redis.common.RedisErrors;
import dev.vectorcache.redis.common.RedisKeys;
import dev.vectorcache.redis.common.ScoredSetInput;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import redis.clients.jedis.Response;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * {@link ScoredSets} as Redis sorted sets under the store's key prefix, run on the store's executor
 * like the rest of its async form (input is checked on the caller's thread first).
 *
 * <p>An {@link #update} is one {@code ZADD key score member} or {@code ZINCRBY key increment
 * member} per update, sent with {@link JedisFanOut}: on one node or a Sentinel master all of them
 * in one pipeline on one pooled connection (one round trip, in order); on a cluster grouped by the
 * node of each key's slot, one pipeline per node, all nodes at once, the order kept per node (so
 * per set). A command answered with {@code MOVED}/{@code ASK}, or whose node failed, is sent again
 * alone for a {@code ZADD} (setting a score twice is harmless); for a {@code ZINCRBY}, which must
 * not be applied twice, the call fails instead. The reads and removals are one command each through
 * the client ({@code ZCARD}, {@code ZRANGE key 0 count-1}, {@code ZREM}, {@code DEL}), always on
 * the primary. Failures are translated as for every other call ({@code WRONGTYPE} for a key that
 * holds a copy is a rejected request).
 */
final class JedisScoredSets implements ScoredSets {
  private final RedisKeys names;
  private final JedisConnections connections;
  private final JedisExecutor executor;

  JedisScoredSets(RedisKeys names, JedisConnections connections, JedisExecutor executor) {
    this.names = names;
    this.connections = connections;
    this.executor = executor;
  }

  private <T> CompletableFuture<T> submit(JedisCall<T> call) {
    if (connections.isClosed()) {
      return CompletableFuture.failedFuture(RedisErrors.closed(call.op(), connections.address()));
    }
    return executor.submit(call.op(), () -> connections.run(call));
  }

  @Override
  public CompletableFuture<Void> update(List<Update> updates) {
    List<ScoredSetInput.Change> changes = ScoredSetInput.updates(names, updates);
    if (connections.isClosed()) {
      return CompletableFuture.failedFuture(RedisErrors.closed("update", connections.address()));
    }
    if (changes.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    List<JedisFanOut.Command<Object>> commands = new ArrayList<>(changes.size());
    for (ScoredSetInput.Change c : changes) {
      commands.add(command(c));
    }
    JedisCall<Integer> call =
        new JedisCall<>(
            "update",
            j -> {
              List<JedisFanOut.Reply<Object>> replies =
                  JedisFanOut.send(connections, commands, false);
              replies.forEach(JedisFanOut::value); // an error reply fails the call
              return replies.size();
            });
    return submit(call).thenApply(n -> null);
  }

  private static JedisFanOut.Command<Object> command(ScoredSetInput.Change c) {
    int slot = JedisClusterCRC16.getSlot(c.key());
    if (c.increment()) {
      return new JedisFanOut.Command<>(
          slot,
          p -> widen(p.zincrby(c.key(), c.score(), c.member())),
          j -> j.zincrby(c.key(), c.score(), c.member()),
          false);
    }
    return new JedisFanOut.Command<>(
        slot,
        p -> widen(p.zadd(c.key(), c.score(), c.member())),
        j -> j.zadd(c.key(), c.score(), c.member()),
        true);
  }

  @SuppressWarnings("unchecked")
  private static Response<Object> widen(Response<?> r) {
    // a Response only hands its value out: reading it as Object is safe
    return (Response<Object>) r;
  }

  @Override
  public CompletableFuture<Long> size(String key) {
    String k = ScoredSetInput.key(names, key);
    return submit(new JedisCall<>("size", j -> j.zcard(k)));
  }

  @Override
  public CompletableFuture<List<String>> lowest(String key, int count) {
    String k = ScoredSetInput.key(names, key);
    long last = ScoredSetInput.lastIndex(count);
    return submit(new JedisCall<>("lowest", j -> j.zrange(k, 0, last)));
  }

  @Override
  public CompletableFuture<Long> remove(String key, Collection<String> members) {
    String k = ScoredSetInput.key(names, key);
    String[] ms = ScoredSetInput.members(members);
    if (ms.length == 0) {
      return connections.isClosed()
          ? CompletableFuture.failedFuture(RedisErrors.closed("remove", connections.address()))
          : CompletableFuture.completedFuture(0L);
    }
    return submit(new JedisCall<>("remove", j -> j.zrem(k, ms)));
  }

  @Override
  public CompletableFuture<Boolean> deleteSet(String key) {
    String k = ScoredSetInput.key(names, key);
    return submit(new JedisCall<>("deleteSet", j -> j.del(k) > 0));
  }
}
