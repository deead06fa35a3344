package dev.vectorcache.redis.lettuce;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.port.ScoredSets;
import dev.vectorcache.redis.common.RedisErrors;
import dev.vectorcache.redis.common.RedisKeys;
import dev.vectorcache.redis.common.ScoredSetInput;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.DoubleOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@link ScoredSets} over the store's shared connection, as Redis sorted sets under the store's key
 * prefix. An {@link #update} hands one {@code ZADD key score member} or {@code ZINCRBY key
 * increment member} per update to Lettuce as one list ({@code dispatch(Collection)}), written in
 * one go: one round trip, in order. On a cluster Lettuce routes each command to the node of its
 * key's slot (every command names one key), so updates to sets on several nodes are pipelined per
 * node, all nodes at once. The reads and removals are one command each ({@code ZCARD}, {@code
 * ZRANGE key 0 count-1}, {@code ZREM}, {@code DEL}) through the store's own call path, which
 * translates failures ({@code WRONGTYPE} for a key that holds a copy is a rejected request).
 *
 * <p>With {@link LettuceOptions.ReplicaReads#REPLICA_PREFERRED} Lettuce sends the read-only
 * commands ({@code ZCARD}, {@code ZRANGE}) to a replica when one is up, so they may lag behind the
 * writes; updates and removals always go to the primary.
 */
final class LettuceScoredSets implements ScoredSets {
  private static final StringCodec CODEC = StringCodec.UTF8;

  private final LettuceAsyncMetadataStore store;
  private final StatefulConnection<String, String> connection;
  private final RedisClusterAsyncCommands<String, String> commands;
  private final RedisKeys names;
  private final String address;

  LettuceScoredSets(
      LettuceAsyncMetadataStore store,
      StatefulConnection<String, String> connection,
      RedisClusterAsyncCommands<String, String> commands,
      RedisKeys names,
      String address) {
    this.store = store;
    this.connection = connection;
    this.commands = commands;
    this.names = names;
    this.address = address;
  }

  @Override
  public CompletableFuture<Void> update(List<Update> updates) {
    List<ScoredSetInput.Change> changes = ScoredSetInput.updates(names, updates);
    if (store.isClosed()) {
      return CompletableFuture.failedFuture(RedisErrors.closed("update", address));
    }
    if (changes.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    List<AsyncCommand<String, String, ?>> sent = new ArrayList<>(changes.size());
    for (ScoredSetInput.Change c : changes) {
      sent.add(command(c));
    }
    try {
      connection.dispatch(sent);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(store.translate(e, "update"));
    }
    return CompletableFuture.allOf(sent.toArray(CompletableFuture<?>[]::new))
        .handle((v, e) -> null)
        .thenCompose(v -> outcome(sent));
  }

  /** Fails with the first command's failure, translated; completes when every one succeeded. */
  private CompletableFuture<Void> outcome(List<AsyncCommand<String, String, ?>> sent) {
    for (AsyncCommand<String, String, ?> c : sent) {
      try {
        c.join();
      } catch (CompletionException | CancellationException e) {
        return CompletableFuture.failedFuture(store.translate(Futures.unwrap(e), "update"));
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  private static AsyncCommand<String, String, ?> command(ScoredSetInput.Change c) {
    CommandArgs<String, String> args =
        new CommandArgs<>(CODEC).addKey(c.key()).add(c.score()).addValue(c.member());
    return c.increment()
        ? command(CommandType.ZINCRBY, new DoubleOutput<>(CODEC), args)
        : command(CommandType.ZADD, new IntegerOutput<>(CODEC), args);
  }

  private static <T> AsyncCommand<String, String, T> command(
      CommandType type, CommandOutput<String, String, T> output, CommandArgs<String, String> args) {
    return new AsyncCommand<>(new Command<>(type, output, args));
  }

  @Override
  public CompletableFuture<Long> size(String key) {
    String k = ScoredSetInput.key(names, key);
    return store.call("size", () -> commands.zcard(k));
  }

  @Override
  public CompletableFuture<List<String>> lowest(String key, int count) {
    String k = ScoredSetInput.key(names, key);
    long last = ScoredSetInput.lastIndex(count);
    return store.call("lowest", () -> commands.zrange(k, 0, last));
  }

  @Override
  public CompletableFuture<Long> remove(String key, Collection<String> members) {
    String k = ScoredSetInput.key(names, key);
    String[] ms = ScoredSetInput.members(members);
    if (ms.length == 0) {
      return store.isClosed()
          ? CompletableFuture.failedFuture(RedisErrors.closed("remove", address))
          : CompletableFuture.completedFuture(0L);
    }
    return store.call("remove", () -> commands.zrem(k, ms));
  }

  @Override
  public CompletableFuture<Boolean> deleteSet(String key) {
    String k = ScoredSetInput.key(names, key);
    return store.call("deleteSet", () -> commands.del(k)).thenApply(n -> n > 0);
  }
}
