package dev.vectorcache.redis.lettuce;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.BatchMetadataWrites;
import dev.vectorcache.redis.common.CopyWriteScript;
import dev.vectorcache.redis.common.MetadataBatch;
import dev.vectorcache.redis.common.RedisErrors;
import dev.vectorcache.redis.common.RedisKeys;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * {@link BatchMetadataWrites} over the store's shared connection: the commands of a batch are
 * handed to Lettuce as one list ({@code dispatch(Collection)}), which writes them to the socket in
 * one go, so the batch costs one round trip. On a cluster Lettuce routes each command of the list
 * to the node of its key's slot (every copy command has one key; a {@code PUBLISH} is routed by its
 * channel name), without waiting between them: the batch is pipelined per node, all nodes at once.
 * Each copy is a {@code SET}, or for a conditional write ({@code IF_NEWER}, {@code
 * IF_SAME_VERSION}) an {@code EVALSHA} of {@link CopyWriteScript} in that mode; each event a {@code
 * PUBLISH}. When the server no longer has the script ({@code NOSCRIPT}, after a restart or {@code
 * SCRIPT FLUSH}) those writes are sent again with {@code EVAL} in a second round trip, which also
 * caches the script; their events have then already been published.
 */
final class LettuceBatchWriter implements BatchMetadataWrites {
  private static final StringCodec CODEC = StringCodec.UTF8;

  private final StatefulConnection<String, String> connection;
  private final RedisKeys names;
  private final String address;
  private final BooleanSupplier closed;
  private final BiFunction<Throwable, String, RuntimeException> translate;

  /**
   * @param translate the store's translation of a failure (which also lets a cluster store react to
   *     it; see {@link LettuceConnections#failed})
   */
  LettuceBatchWriter(
      StatefulConnection<String, String> connection,
      RedisKeys names,
      String address,
      BooleanSupplier closed,
      BiFunction<Throwable, String, RuntimeException> translate) {
    this.connection = connection;
    this.names = names;
    this.address = address;
    this.closed = closed;
    this.translate = translate;
  }

  @Override
  public CompletableFuture<Integer> writeAll(List<CopyWrite> writes, List<MetadataEvent> events) {
    MetadataBatch batch = MetadataBatch.prepare(names, writes, events);
    if (closed.getAsBoolean()) {
      return CompletableFuture.failedFuture(RedisErrors.closed("writeAll", address));
    }
    if (batch.isEmpty()) {
      return CompletableFuture.completedFuture(0);
    }
    List<AsyncCommand<String, String, ?>> copies = new ArrayList<>();
    for (MetadataBatch.Write w : batch.writes()) {
      copies.add(w.scripted() ? script(w, true) : set(w));
    }
    List<AsyncCommand<String, String, ?>> all = new ArrayList<>(copies);
    for (MetadataBatch.Publish p : batch.events()) {
      all.add(publish(p));
    }
    return send(all).thenCompose(v -> count(batch, copies));
  }

  /** Dispatches the commands as one write; completes (never exceptionally) when all answered. */
  private CompletableFuture<Void> send(List<AsyncCommand<String, String, ?>> commands) {
    try {
      connection.dispatch(commands);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(translate.apply(e, "writeAll"));
    }
    return CompletableFuture.allOf(commands.toArray(CompletableFuture<?>[]::new))
        .handle((v, e) -> null);
  }

  /** Counts what was written; sends again with EVAL what the server did not know as a script. */
  private CompletableFuture<Integer> count(
      MetadataBatch batch, List<AsyncCommand<String, String, ?>> copies) {
    List<MetadataBatch.Write> retry = new ArrayList<>();
    int written = 0;
    for (int i = 0; i < copies.size(); i++) {
      AsyncCommand<String, String, ?> c = copies.get(i);
      Throwable failure = failureOf(c);
      if (failure != null && CopyWriteScript.isNoScript(failure.getMessage())) {
        retry.add(batch.writes().get(i));
      } else if (failure != null) {
        return CompletableFuture.failedFuture(translate.apply(failure, "writeAll"));
      } else {
        written += applied(c.join()) ? 1 : 0;
      }
    }
    if (retry.isEmpty()) {
      return CompletableFuture.completedFuture(written);
    }
    List<AsyncCommand<String, String, ?>> evals = new ArrayList<>();
    retry.forEach(w -> evals.add(script(w, false)));
    int before = written;
    return send(evals).thenCompose(v -> count(evals).thenApply(n -> before + n));
  }

  private CompletableFuture<Integer> count(List<AsyncCommand<String, String, ?>> evals) {
    int written = 0;
    for (AsyncCommand<String, String, ?> c : evals) {
      Throwable failure = failureOf(c);
      if (failure != null) {
        return CompletableFuture.failedFuture(translate.apply(failure, "writeAll"));
      }
      written += applied(c.join()) ? 1 : 0;
    }
    return CompletableFuture.completedFuture(written);
  }

  /** A SET answers OK, the script 1 or 0. */
  private static boolean applied(@Nullable Object reply) {
    return reply instanceof String || CopyWriteScript.applied(reply);
  }

  private static @Nullable Throwable failureOf(CompletableFuture<?> f) {
    try {
      f.join();
      return null;
    } catch (CompletionException | CancellationException e) {
      return Futures.unwrap(e);
    }
  }

  private static AsyncCommand<String, String, ?> set(MetadataBatch.Write w) {
    CommandArgs<String, String> args = new CommandArgs<>(CODEC).addKey(w.key()).addValue(w.json());
    if (w.ttlMillis() != null) {
      args.add("PX").add(w.ttlMillis());
    }
    return command(CommandType.SET, new StatusOutput<>(CODEC), args);
  }

  /** EVALSHA with the locally computed SHA-1, or EVAL with the source. */
  private static AsyncCommand<String, String, ?> script(MetadataBatch.Write w, boolean bySha) {
    CommandArgs<String, String> args =
        new CommandArgs<>(CODEC)
            .add(bySha ? CopyWriteScript.SHA1 : CopyWriteScript.SOURCE)
            .add(1)
            .addKey(w.key());
    List<String> scriptArgs = w.scriptArgs();
    args.addValue(scriptArgs.get(0));
    scriptArgs.subList(1, scriptArgs.size()).forEach(args::add);
    return command(
        bySha ? CommandType.EVALSHA : CommandType.EVAL, new IntegerOutput<>(CODEC), args);
  }

  private static AsyncCommand<String, String, ?> publish(MetadataBatch.Publish p) {
    CommandArgs<String, String> args =
        new CommandArgs<>(CODEC).addKey(p.channel()).addValue(p.message());
    return command(CommandType.PUBLISH, new IntegerOutput<>(CODEC), args);
  }

  private static <T> AsyncCommand<String, String, T> command(
      CommandType type, CommandOutput<String, String, T> output, CommandArgs<String, String> args) {
    RedisCommand<String, String, T> c = new Command<>(type, output, args);
    return new AsyncCommand<>(c);
  }
}
