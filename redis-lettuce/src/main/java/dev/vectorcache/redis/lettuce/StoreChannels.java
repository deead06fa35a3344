package dev.vectorcache.redis.lettuce;

import dev.vectorcache.redis.common.RedisErrors;
import io.lettuce.core.protocol.CommandEncoder;
import io.lettuce.core.protocol.RedisHandshakeHandler;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import org.jspecify.annotations.Nullable;

/**
 * Adjusts each channel a store opens, first or after a reconnect, main or pub/sub, plain or TLS
 * (Lettuce calls {@link #afterChannelInitialized} for every one):
 *
 * <ul>
 *   <li>puts the {@link QuietCommandEncoder} in place of Lettuce's encoder, so that the password of
 *       the handshake never reaches a log;
 *   <li>watches the handshake ({@code HELLO}, {@code AUTH}, ...). While Lettuce reconnects, it
 *       rejects commands with a bare "not connected"; when the last handshake was refused for the
 *       credentials (the server's password changed), {@link #authFailure()} holds that refusal, so
 *       the store can report an authentication failure instead of an outage.
 * </ul>
 */
final class StoreChannels implements NettyCustomizer {
  private volatile @Nullable Throwable authFailure;

  @Override
  public void afterChannelInitialized(Channel channel) {
    ChannelPipeline pipeline = channel.pipeline();
    ChannelHandlerContext encoder = pipeline.context(CommandEncoder.class);
    if (encoder != null && !(encoder.handler() instanceof QuietCommandEncoder)) {
      pipeline.replace(encoder.handler(), encoder.name(), new QuietCommandEncoder());
    }
    RedisHandshakeHandler handshake = pipeline.get(RedisHandshakeHandler.class);
    if (handshake != null) {
      handshake.channelInitialized().whenComplete((v, e) -> handshakeDone(e));
    }
  }

  private void handshakeDone(@Nullable Throwable failure) {
    if (failure == null) {
      authFailure = null;
    } else if (LettuceErrors.classify(failure) == RedisErrors.Kind.AUTH) {
      authFailure = failure;
    }
    // other failures (refused, timed out) leave the last answer of the server as it was
  }

  /** The credentials refusal of the last handshake the server answered, or null. */
  @Nullable Throwable authFailure() {
    return authFailure;
  }
}
