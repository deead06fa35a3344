package dev.vectorcache.redis.lettuce;

import io.lettuce.core.protocol.CommandEncoder;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import java.util.Collection;

/**
 * Lettuce's {@link CommandEncoder} without its wire log. At TRACE, Lettuce's encoder (logger {@code
 * io.lettuce.core.protocol.CommandEncoder}) prints every byte it sends, the {@code AUTH} or {@code
 * HELLO ... AUTH} password of the handshake included. The store puts this subclass in place of the
 * encoder of each of its own channels (see {@link StoreChannels}), so no logging configuration can
 * make a store print its password; other Lettuce clients in the JVM keep Lettuce's encoder. The
 * encoding itself is Lettuce's ({@link RedisCommand#encode}), as is the buffer allocation.
 */
final class QuietCommandEncoder extends CommandEncoder {
  QuietCommandEncoder() {}

  @Override
  protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) {
    if (msg instanceof RedisCommand<?, ?, ?> command) {
      encodeOne(ctx, out, command);
    } else if (msg instanceof Collection<?> commands) {
      for (Object command : commands) {
        encodeOne(ctx, out, (RedisCommand<?, ?, ?>) command);
      }
    }
  }

  private static void encodeOne(ChannelHandlerContext ctx, ByteBuf out, RedisCommand<?, ?, ?> c) {
    try {
      out.markWriterIndex();
      c.encode(out);
    } catch (RuntimeException e) {
      // as Lettuce does: a half-written command leaves the connection out of sync
      ChannelFuture unused = ctx.close();
      throw new EncoderException("cannot encode a redis command; the connection is closed", e);
    }
  }
}
