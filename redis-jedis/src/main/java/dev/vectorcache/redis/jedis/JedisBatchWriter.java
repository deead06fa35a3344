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
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/**
 * {@link BatchMetadataWrites} over one pooled connection: a Jedis {@link Pipeline} sends every
 * command of a batch, then reads every reply, so the batch costs one round trip. Each copy is a
 * {@code SET} or an {@code EVALSHA} of {@link CopyWriteScript}; each event a {@code PUBLISH}. When
 * the server no longer has the script ({@code NOSCRIPT}) those writes are sent again with {@code
 * EVAL} in a second round trip; their events have then already been published. Runs on the store's
 * executor, never on the caller's thread.
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
    JedisCall<Integer> call = new JedisCall<>("writeAll", jedis -> send(jedis, batch));
    return executor.submit(call.op(), () -> connections.run(call));
  }

  private static int send(Jedis jedis, MetadataBatch batch) {
    List<Response<?>> copies = new ArrayList<>();
    List<Response<?>> published = new ArrayList<>();
    try (Pipeline p = jedis.pipelined()) {
      for (MetadataBatch.Write w : batch.writes()) {
        copies.add(
            w.ifNewer() ? p.evalsha(CopyWriteScript.SHA1, keys(w), w.scriptArgs()) : set(p, w));
      }
      for (MetadataBatch.Publish e : batch.events()) {
        published.add(p.publish(e.channel(), e.message()));
      }
      p.sync();
    }
    List<MetadataBatch.Write> retry = new ArrayList<>();
    int written = 0;
    for (int i = 0; i < copies.size(); i++) {
      try {
        written += applied(copies.get(i).get()) ? 1 : 0;
      } catch (JedisDataException e) {
        if (!CopyWriteScript.isNoScript(e.getMessage())) {
          throw e;
        }
        retry.add(batch.writes().get(i));
      }
    }
    published.forEach(Response::get); // an error reply fails the call
    return retry.isEmpty() ? written : written + evalAll(jedis, retry);
  }

  /** The writes whose script the server did not know, with EVAL (which also caches it). */
  private static int evalAll(Jedis jedis, List<MetadataBatch.Write> writes) {
    List<Response<Object>> replies = new ArrayList<>();
    try (Pipeline p = jedis.pipelined()) {
      for (MetadataBatch.Write w : writes) {
        replies.add(p.eval(CopyWriteScript.SOURCE, keys(w), w.scriptArgs()));
      }
      p.sync();
    }
    int written = 0;
    for (Response<Object> r : replies) {
      written += CopyWriteScript.applied(r.get()) ? 1 : 0;
    }
    return written;
  }

  private static Response<String> set(Pipeline p, MetadataBatch.Write w) {
    Long ttl = w.ttlMillis();
    return ttl == null
        ? p.set(w.key(), w.json())
        : p.set(w.key(), w.json(), SetParams.setParams().px(ttl));
  }

  private static List<String> keys(MetadataBatch.Write w) {
    return List.of(w.key());
  }

  /** A SET answers OK, the script 1 or 0. */
  private static boolean applied(Object reply) {
    return reply instanceof String || CopyWriteScript.applied(reply);
  }
}
