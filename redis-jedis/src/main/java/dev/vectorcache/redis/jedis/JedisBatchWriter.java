package dev.vectorcache.redis.jedis;

import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.BatchMetadataWrites;
import dev.vectorcache.redis.common.CopyWriteScript;
import dev.vectorcache.redis.common.MetadataBatch;
import dev.vectorcache.redis.common.RedisErrors;
import dev.vectorcache.redis.common.RedisKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * {@link BatchMetadataWrites} in pipelines ({@link JedisFanOut}): on one node or a Sentinel master
 * every command of a batch goes in one pipeline on one pooled connection, so the batch costs one
 * round trip. Each copy is a {@code SET}, or for a conditional write ({@code IF_NEWER}, {@code
 * IF_SAME_VERSION}) an {@code EVALSHA} of {@link CopyWriteScript} in that mode (one key, so one
 * slot); each event a {@code PUBLISH}. On a cluster the copies go to the nodes of their slots,
 * pipelined per node and to all nodes at once, and the events follow once every copy was answered
 * (a second round trip, only when a batch has both), so that no subscriber hears of a copy before
 * it is written. When a server no longer has the script ({@code NOSCRIPT}; on a cluster each node
 * has its own script cache) those writes are sent again with {@code EVAL}; their events have then
 * already been published. Runs on the store's executor, never on the caller's thread.
 */
final class JedisBatchWriter implements BatchMetadataWrites {
  private final RedisKeys names;
  private final JedisConnections connections;
  private final JedisExecutor executor;

  JedisBatchWriter(RedisKeys names, JedisConnections connections, JedisExecutor executor) {
    this.names = names;
    this.connections = connections;
    this.executor = executor;
  }

  @Override
  public CompletableFuture<Integer> writeAll(List<CopyWrite> writes, List<MetadataEvent> events) {
    MetadataBatch batch = MetadataBatch.prepare(names, writes, events);
    if (connections.isClosed()) {
      return CompletableFuture.failedFuture(RedisErrors.closed("writeAll", connections.address()));
    }
    if (batch.isEmpty()) {
      return CompletableFuture.completedFuture(0);
    }
    JedisCall<Integer> call = new JedisCall<>("writeAll", j -> send(batch));
    return executor.submit(call.op(), () -> connections.run(call));
  }

  private int send(MetadataBatch batch) {
    List<JedisFanOut.Command<Object>> copies = new ArrayList<>();
    for (MetadataBatch.Write w : batch.writes()) {
      copies.add(copy(w));
    }
    List<JedisFanOut.Command<Object>> published = new ArrayList<>();
    for (MetadataBatch.Publish e : batch.events()) {
      published.add(
          new JedisFanOut.Command<>(
              JedisClusterCRC16.getSlot(e.channel()),
              p -> widen(p.publish(e.channel(), e.message())),
              j -> j.publish(e.channel(), e.message()),
              false));
    }
    List<JedisFanOut.Reply<Object>> copyReplies;
    List<JedisFanOut.Reply<Object>> eventReplies;
    if (connections.cluster() == null || copies.isEmpty() || published.isEmpty()) {
      // one node: one pipeline keeps the order, the events after the copies
      List<JedisFanOut.Command<Object>> all = new ArrayList<>(copies);
      all.addAll(published);
      List<JedisFanOut.Reply<Object>> replies = JedisFanOut.send(connections, all, false);
      copyReplies = replies.subList(0, copies.size());
      eventReplies = replies.subList(copies.size(), replies.size());
    } else {
      copyReplies = JedisFanOut.send(connections, copies, false);
      eventReplies = JedisFanOut.send(connections, published, false);
    }
    List<MetadataBatch.Write> retry = new ArrayList<>();
    int written = 0;
    for (int i = 0; i < copyReplies.size(); i++) {
      JedisDataException error = copyReplies.get(i).error();
      if (error != null && CopyWriteScript.isNoScript(error.getMessage())) {
        retry.add(batch.writes().get(i));
      } else {
        written += applied(JedisFanOut.value(copyReplies.get(i))) ? 1 : 0;
      }
    }
    eventReplies.forEach(JedisFanOut::value); // an error reply fails the call
    return retry.isEmpty() ? written : written + evalAll(retry);
  }

  private static JedisFanOut.Command<Object> copy(MetadataBatch.Write w) {
    int slot = JedisClusterCRC16.getSlot(w.key());
    if (w.scripted()) {
      return new JedisFanOut.Command<>(
          slot,
          p -> p.evalsha(CopyWriteScript.SHA1, keys(w), w.scriptArgs()),
          j -> j.evalsha(CopyWriteScript.SHA1, keys(w), w.scriptArgs()),
          true);
    }
    Long ttl = w.ttlMillis();
    return new JedisFanOut.Command<>(
        slot,
        p -> widen(ttl == null ? p.set(w.key(), w.json()) : set(p, w, ttl)),
        j -> ttl == null ? j.set(w.key(), w.json()) : j.set(w.key(), w.json(), px(ttl)),
        true);
  }

  /** The writes whose script a server did not know, with EVAL (which also caches it there). */
  private int evalAll(List<MetadataBatch.Write> writes) {
    List<JedisFanOut.Command<Object>> evals = new ArrayList<>();
    for (MetadataBatch.Write w : writes) {
      evals.add(
          new JedisFanOut.Command<>(
              JedisClusterCRC16.getSlot(w.key()),
              p -> p.eval(CopyWriteScript.SOURCE, keys(w), w.scriptArgs()),
              j -> j.eval(CopyWriteScript.SOURCE, keys(w), w.scriptArgs()),
              true));
    }
    int written = 0;
    for (JedisFanOut.Reply<Object> r : JedisFanOut.send(connections, evals, false)) {
      written += CopyWriteScript.applied(JedisFanOut.value(r)) ? 1 : 0;
    }
    return written;
  }

  private static Response<String> set(Pipeline p, MetadataBatch.Write w, long ttl) {
    return p.set(w.key(), w.json(), px(ttl));
  }

  private static SetParams px(long ttl) {
    return SetParams.setParams().px(ttl);
  }

  @SuppressWarnings("unchecked")
  private static Response<Object> widen(Response<?> r) {
    // a Response only hands its value out: reading it as Object is safe
    return (Response<Object>) r;
  }

  private static List<String> keys(MetadataBatch.Write w) {
    return List.of(w.key());
  }

  /** A SET answers OK, the script 1 or 0. */
  private static boolean applied(Object reply) {
    return reply instanceof String || CopyWriteScript.applied(reply);
  }
}
