package dev.vectorcache.spi;

import dev.vectorcache.core.exception.InvalidInputException;
import java.util.Objects;

/**
 * One server address.
 *
 * @param host host name or IP address, not blank
 * @param port TCP port, 1 to 65535
 */
public record HostAndPort(String host, int port) {
  /** Validates both parts. */
  public HostAndPort {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new InvalidInputException("host", "a host name or address", host);
    }
    if (port < 1 || port > 65_535) {
      throw new InvalidInputException("port", "a TCP port from 1 to 65535", port);
    }
  }

  /** The address of {@code host} and {@code port}. */
  public static HostAndPort of(String host, int port) {
    return new HostAndPort(host, port);
  }

  /** {@code host:port}, with brackets around an IPv6 address. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }
}
