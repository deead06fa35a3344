package dev.vectorcache.redis.lettuce;

import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisReactiveCommandsImpl;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.json.JsonParser;
import io.lettuce.core.protocol.PushHandler;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RedisClient} whose connections build their blocking and reactive command facades only
 * when somebody asks for them. The store uses only {@code async()}.
 *
 * <p>Why: Lettuce's connection constructor eagerly builds all three facades. The blocking one is a
 * {@link java.lang.reflect.Proxy} over the whole {@link RedisCommands} interface (about 400
 * methods), whose generation loads every argument and result type of every command; the reactive
 * one loads Reactor's operators. On the first open in a JVM that was about a third of the CPU time
 * of the open (see docs/redis.md). {@link RedisClient#newStatefulRedisConnection} is Lettuce's
 * documented hook for returning a subclass; {@code sync()} and {@code reactive()} still work when
 * an application unwraps the connection.
 */
final class AsyncOnlyRedisClient extends RedisClient {
  AsyncOnlyRedisClient(ClientResources resources) {
    super(resources, new RedisURI());
  }

  @Override
  protected <K, V> StatefulRedisConnectionImpl<K, V> newStatefulRedisConnection(
      RedisChannelWriter channelWriter,
      PushHandler pushHandler,
      RedisCodec<K, V> codec,
      Duration timeout) {
    return new LazyFacadesConnection<>(channelWriter, pushHandler, codec, timeout);
  }

  /** A connection that creates {@code sync()} and {@code reactive()} on first use. */
  static final class LazyFacadesConnection<K, V> extends StatefulRedisConnectionImpl<K, V> {
    private @Nullable RedisCommands<K, V> lazySync;
    private @Nullable RedisReactiveCommands<K, V> lazyReactive;

    LazyFacadesConnection(
        RedisChannelWriter writer,
        PushHandler pushHandler,
        RedisCodec<K, V> codec,
        Duration timeout) {
      super(writer, pushHandler, codec, timeout);
    }

    LazyFacadesConnection(
        RedisChannelWriter writer,
        PushHandler pushHandler,
        RedisCodec<K, V> codec,
        Duration timeout,
        Supplier<JsonParser> parser) {
      super(writer, pushHandler, codec, timeout, parser);
    }

    // called by the super constructor: the eager facades are skipped (the fields stay null)
    @Override
    @SuppressWarnings("NullAway") // Lettuce reads these fields only through sync()/reactive()
    protected RedisCommands<K, V> newRedisSyncCommandsImpl() {
      return null;
    }

    @Override
    @SuppressWarnings("NullAway") // as above
    protected RedisReactiveCommandsImpl<K, V> newRedisReactiveCommandsImpl() {
      return null;
    }

    @Override
    public synchronized RedisCommands<K, V> sync() {
      RedisCommands<K, V> s = lazySync;
      if (s == null) {
        s = super.newRedisSyncCommandsImpl();
        lazySync = s;
      }
      return s;
    }

    @Override
    public synchronized RedisReactiveCommands<K, V> reactive() {
      RedisReactiveCommands<K, V> r = lazyReactive;
      if (r == null) {
        r = super.newRedisReactiveCommandsImpl();
        lazyReactive = r;
      }
      return r;
    }
  }
}
