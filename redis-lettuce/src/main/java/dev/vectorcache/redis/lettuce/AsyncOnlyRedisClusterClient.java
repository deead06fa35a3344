package dev.vectorcache.redis.lettuce;

import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.cluster.ClusterPushHandler;
import io.lettuce.core.cluster.RedisAdvancedClusterReactiveCommandsImpl;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.StatefulRedisClusterConnectionImpl;
import io.lettuce.core.cluster.api.reactive.RedisAdvancedClusterReactiveCommands;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.json.JsonParser;
import io.lettuce.core.protocol.PushHandler;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The cluster counterpart of {@link AsyncOnlyRedisClient}: the cluster connection and the
 * connection to each node build their blocking and reactive facades on first use only (the store
 * uses {@code async()}), through the hooks {@link RedisClusterClient} documents for subclasses.
 */
final class AsyncOnlyRedisClusterClient extends RedisClusterClient {
  AsyncOnlyRedisClusterClient(ClientResources resources, Iterable<RedisURI> seeds) {
    super(resources, seeds);
  }

  @Override
  protected <K, V> StatefulRedisConnectionImpl<K, V> newStatefulRedisConnection(
      RedisChannelWriter channelWriter,
      PushHandler pushHandler,
      RedisCodec<K, V> codec,
      Duration timeout,
      Supplier<JsonParser> parser) {
    return new AsyncOnlyRedisClient.LazyFacadesConnection<>(
        channelWriter, pushHandler, codec, timeout, parser);
  }

  @Override
  protected <V, K> StatefulRedisClusterConnectionImpl<K, V> newStatefulRedisClusterConnection(
      RedisChannelWriter channelWriter,
      ClusterPushHandler pushHandler,
      RedisCodec<K, V> codec,
      Duration timeout,
      Supplier<JsonParser> parser) {
    return new LazyFacadesClusterConnection<>(channelWriter, pushHandler, codec, timeout, parser);
  }

  /** A cluster connection that creates {@code sync()} and {@code reactive()} on first use. */
  static final class LazyFacadesClusterConnection<K, V>
      extends StatefulRedisClusterConnectionImpl<K, V> {
    private @Nullable RedisAdvancedClusterCommands<K, V> lazySync;
    private @Nullable RedisAdvancedClusterReactiveCommands<K, V> lazyReactive;

    LazyFacadesClusterConnection(
        RedisChannelWriter writer,
        ClusterPushHandler pushHandler,
        RedisCodec<K, V> codec,
        Duration timeout,
        Supplier<JsonParser> parser) {
      super(writer, pushHandler, codec, timeout, parser);
    }

    // called by the super constructor: the eager facades are skipped (the fields stay null)
    @Override
    @SuppressWarnings("NullAway") // Lettuce reads these fields only through sync()/reactive()
    protected RedisAdvancedClusterCommands<K, V> newRedisAdvancedClusterCommandsImpl() {
      return null;
    }

    @Override
    @SuppressWarnings("NullAway") // as above
    protected RedisAdvancedClusterReactiveCommandsImpl<K, V>
        newRedisAdvancedClusterReactiveCommandsImpl() {
      return null;
    }

    @Override
    public synchronized RedisAdvancedClusterCommands<K, V> sync() {
      RedisAdvancedClusterCommands<K, V> s = lazySync;
      if (s == null) {
        s = super.newRedisAdvancedClusterCommandsImpl();
        lazySync = s;
      }
      return s;
    }

    @Override
    public synchronized RedisAdvancedClusterReactiveCommands<K, V> reactive() {
      RedisAdvancedClusterReactiveCommands<K, V> r = lazyReactive;
      if (r == null) {
        r = super.newRedisAdvancedClusterReactiveCommandsImpl();
        lazyReactive = r;
      }
      return r;
    }
  }
}
