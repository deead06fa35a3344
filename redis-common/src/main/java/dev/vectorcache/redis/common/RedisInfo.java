package dev.vectorcache.redis.common;

import dev.vectorcache.core.model.BackendInfo;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the reply of {@code INFO} and builds the {@link BackendInfo} of a Redis store's ping. */
public final class RedisInfo {
  private RedisInfo() {}

  /**
   * The {@code name:value} fields of an {@code INFO} reply, in order; section headers ({@code #
   * Server}) and blank lines are skipped.
   *
   * @param info the reply of {@code INFO} or {@code INFO section}
   * @return the fields
   */
  public static Map<String, String> parse(String info) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : info.split("\r?\n", -1)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return fields;
  }

  /**
   * One field of an {@code INFO} reply.
   *
   * @param info the reply
   * @param name the field, for example {@code redis_version}
   * @return its value, or {@code "unknown"} when absent
   */
  public static String field(String info, String name) {
    return parse(info).getOrDefault(name, "unknown");
  }

  /**
   * What a Redis store's ping reports.
   *
   * @param client the client library ({@code "lettuce"}, {@code "jedis"})
   * @param infoServer the reply of {@code INFO server}
   * @param roundTrip the round trip of the command that answered (INFO)
   * @param address {@code host:port/db}, never credentials
   * @param keyPrefix the store's key prefix
   * @param tls whether the connection uses TLS
   * @param extra more details of the adapter, added after the common ones
   * @return the backend info
   */
  public static BackendInfo backendInfo(
      String client,
      String infoServer,
      Duration roundTrip,
      String address,
      String keyPrefix,
      boolean tls,
      Map<String, String> extra) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("address", address);
    details.put("keyPrefix", keyPrefix);
    details.put("tls", Boolean.toString(tls));
    details.putAll(extra);
    return new BackendInfo(
        RedisErrors.BACKEND, client, field(infoServer, "redis_version"), roundTrip, details);
  }
}
