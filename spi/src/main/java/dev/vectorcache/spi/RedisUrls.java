package dev.vectorcache.spi;

import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the Redis URL forms, which may name several hosts:
 *
 * <ul>
 *   <li>{@code redis://[user:password@]host[:port][/db]} and {@code rediss://...}: one node;
 *   <li>{@code redis://[user:password@]h1:p1,h2:p2?cluster=true}: a Redis Cluster found from the
 *       seeds (no database: a cluster has database 0 only);
 *   <li>{@code redis-sentinel://[user:password@]h1:p1,h2:p2[/db]?sentinelMasterId=NAME} and {@code
 *       rediss-sentinel://...}: the primary that the sentinels know as NAME (Lettuce's form).
 * </ul>
 *
 * <p>Several hosts without {@code cluster=true} are refused: one could not tell a cluster from a
 * list of fallbacks. Any other query parameter is refused too, by name and never by value:
 * accepting it would ignore it silently.
 */
final class RedisUrls {
  /** The schemes read here. */
  static final Set<String> SCHEMES = Set.of("redis", "rediss", "redis-sentinel", "rediss-sentinel");

  /** The TLS schemes. */
  static final List<String> TLS_SCHEMES = List.of("rediss", "rediss-sentinel");

  static final int DEFAULT_SENTINEL_PORT = 26379;
  private static final String CLUSTER = "cluster";
  private static final String MASTER_ID = "sentinelMasterId";

  private RedisUrls() {}

  /**
   * A parsed URL.
   *
   * @param rawUserInfo the user-info part, still percent-encoded, or null
   * @param path the path ({@code ""} or {@code /db})
   * @param topology the servers it names
   */
  record Parsed(@Nullable String rawUserInfo, String path, Topology topology) {
    /** Whether the URL itself names more than one node or a group. */
    boolean namesServers() {
      return !(topology instanceof Topology.Standalone);
    }
  }

  static Parsed parse(String url, String field) {
    String scheme = Urls.scheme(url);
    boolean sentinel = scheme.endsWith("-sentinel");
    int start = url.indexOf("://");
    if (start < 0) {
      throw Checks.invalid(
          field, scheme + "://host[:port]", Urls.withheld(url), "write " + scheme + "://host:port");
    }
    start += 3;
    int end = start;
    while (end < url.length() && url.charAt(end) != '/' && url.charAt(end) != '?') {
      end++;
    }
    int at = url.lastIndexOf('@', end - 1);
    int hostsStart = at >= start ? at + 1 : start;
    String hosts = url.substring(hostsStart, end);
    // the single-host URL with a placeholder host checks user-info, path and query syntax
    URI shape = Urls.parseWithQuery(url.substring(0, hostsStart) + "h" + url.substring(end), field);
    Map<String, String> params = params(shape.getRawQuery(), field, sentinel);
    List<HostAndPort> nodes =
        nodes(
            hosts, field, sentinel ? DEFAULT_SENTINEL_PORT : MetadataStoreConfig.DEFAULT_PORT, url);
    String path = shape.getPath() == null ? "" : shape.getPath();
    Topology topology;
    if (sentinel) {
      String master = params.get(MASTER_ID);
      if (master == null || master.isBlank()) {
        throw Checks.invalid(
            field,
            "?" + MASTER_ID + "=NAME on a " + scheme + ":// URL",
            master == null ? "no " + MASTER_ID : "a blank " + MASTER_ID,
            "name the primary the sentinels monitor: "
                + scheme
                + "://host:26379?"
                + MASTER_ID
                + "=mymaster");
      }
      topology = Topology.sentinel(master, nodes);
    } else if (isCluster(params, field)) {
      if (path.length() > 1) {
        throw Checks.invalid(
            "metadata store url database",
            "no database on a cluster (a Redis Cluster has database 0 only)",
            "\"" + path.substring(1) + "\"",
            "drop the /" + path.substring(1) + " from the URL");
      }
      topology = Topology.cluster(nodes);
    } else if (nodes.size() > 1) {
      throw Checks.invalid(
          field,
          "one host, or several with ?cluster=true (a Redis Cluster) or a redis-sentinel:// URL",
          nodes.size() + " hosts and no cluster=true",
          "add ?cluster=true for a cluster's seed nodes, or write redis-sentinel://h1:26379,"
              + "h2:26379?sentinelMasterId=NAME for sentinels");
    } else {
      topology = Topology.standalone(nodes.get(0));
    }
    return new Parsed(shape.getRawUserInfo(), path, topology);
  }

  private static boolean isCluster(Map<String, String> params, String field) {
    String value = params.get(CLUSTER);
    if (value == null || value.equals("false")) {
      return false;
    }
    if (value.equals("true")) {
      return true;
    }
    throw Checks.invalid(
        field + " parameter cluster", "true or false", "\"" + value + "\"", "write ?cluster=true");
  }

  private static Map<String, String> params(
      @Nullable String query, String field, boolean sentinel) {
    Map<String, String> params = new LinkedHashMap<>();
    if (query == null) {
      return params;
    }
    String allowed = sentinel ? MASTER_ID : CLUSTER;
    List<String> unknown = new ArrayList<>();
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      if (!name.equals(allowed)) {
        unknown.add(name);
        continue;
      }
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      if (params.put(name, value) != null) {
        throw Checks.invalid(
            field, "the parameter " + name + " once", "it twice", "keep one " + name + "=...");
      }
    }
    if (!unknown.isEmpty()) {
      // names only, never values: a value may be a password
      throw Checks.invalid(
          field,
          "no query parameters other than " + allowed,
          unknown,
          "put credentials in the user-info part (scheme://user:password@host:port) and other"
              + " settings on the builder");
    }
    return params;
  }

  private static List<HostAndPort> nodes(String hosts, String field, int defaultPort, String url) {
    List<HostAndPort> nodes = new ArrayList<>();
    for (String h : hosts.split(",", -1)) {
      if (h.isBlank()) {
        throw Checks.invalid(
            field,
            "host[:port] entries separated by commas",
            Urls.withheld(url) + " with no host at one place",
            "write scheme://h1:port,h2:port");
      }
      URI one = Urls.parse("redis://" + h.trim(), field);
      try {
        nodes.add(HostAndPort.of(one.getHost(), one.getPort() < 0 ? defaultPort : one.getPort()));
      } catch (InvalidInputException e) {
        throw new ConfigurationException("invalid " + field + ": " + e.getMessage(), e);
      }
    }
    return nodes;
  }
}
