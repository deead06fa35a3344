package dev.vectorcache.testkit.redis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * A tiny RESP2 client over a plain or TLS socket, for controlling a test server (PING, CONFIG SET,
 * CLIENT KILL, INFO). It deliberately does not use Lettuce or Jedis, so that the harness never
 * depends on the code under test. Not thread-safe; one command at a time.
 */
public final class RespClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RespClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /**
   * Connects to {@code host:port}; authenticates when {@code password} is not null.
   *
   * @throws UncheckedIOException when the server cannot be reached
   */
  public static RespClient connect(
      String host, int port, @Nullable String password, Duration timeout) {
    return connect(host, port, password, timeout, null);
  }

  /**
   * Connects to {@code host:port}, over TLS when {@code tls} is given (the handshake happens here);
   * authenticates when {@code password} is not null.
   *
   * @throws UncheckedIOException when the server cannot be reached or the handshake fails
   */
  public static RespClient connect(
      String host,
      int port,
      @Nullable String password,
      Duration timeout,
      @Nullable SSLSocketFactory tls) {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      socket.setTcpNoDelay(true);
      if (tls != null) {
        SSLSocket secure = (SSLSocket) tls.createSocket(socket, host, port, true);
        socket = secure;
        secure.startHandshake();
      }
      RespClient client = new RespClient(socket);
      if (password != null) {
        client.command("AUTH", password);
      }
      return client;
    } catch (IOException e) {
      closeQuietly(socket);
      throw new UncheckedIOException("cannot connect to " + host + ":" + port, e);
    } catch (RuntimeException e) {
      closeQuietly(socket);
      throw e;
    }
  }

  /**
   * Sends one command and returns its reply: {@code String} for simple and bulk strings, {@code
   * Long} for integers, {@code List<Object>} for arrays, {@code null} for nil.
   *
   * @throws ServerError when the server replies with an error
   */
  public @Nullable Object command(String... args) {
    try {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      buf.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      for (String a : args) {
        byte[] b = a.getBytes(StandardCharsets.UTF_8);
        buf.write(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        buf.write(b);
        buf.write('\r');
        buf.write('\n');
      }
      out.write(buf.toByteArray());
      out.flush();
      return read();
    } catch (IOException e) {
      throw new UncheckedIOException("redis control command " + args[0] + " failed", e);
    }
  }

  /** {@link #command} expecting a string reply. */
  public @Nullable String string(String... args) {
    Object r = command(args);
    return r == null ? null : r.toString();
  }

  private @Nullable Object read() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("connection closed by the server");
    }
    String line = line();
    return switch (type) {
      case '+' -> line;
      case '-' -> throw new ServerError(line);
      case ':' -> Long.parseLong(line);
      case '$' -> {
        int len = Integer.parseInt(line);
        if (len < 0) {
          yield null;
        }
        byte[] data = in.readNBytes(len);
        if (data.length < len) {
          throw new EOFException("short bulk reply");
        }
        line(); // CRLF
        yield new String(data, StandardCharsets.UTF_8);
      }
      case '*' -> {
        int n = Integer.parseInt(line);
        if (n < 0) {
          yield null;
        }
        List<Object> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          try {
            items.add(read());
          } catch (ServerError e) {
            items.add(e);
          }
        }
        yield items;
      }
      default -> throw new IOException("unexpected RESP type byte " + type);
    };
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed by the server");
      }
      if (c == '\r') {
        int n = in.read();
        if (n != '\n') {
          throw new IOException("malformed RESP line");
        }
        return sb.toString();
      }
      sb.append((char) c);
    }
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing to do: the socket is gone either way
    }
  }

  /** An error reply ({@code -ERR ...}) from the server. */
  public static final class ServerError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ServerError(String message) {
      super(message);
    }
  }
}
