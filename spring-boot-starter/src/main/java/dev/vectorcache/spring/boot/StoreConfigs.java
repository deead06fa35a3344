package dev.vectorcache.spring.boot;

import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.TlsConfig;
import dev.vectorcache.spi.VectorStoreConfig;
import java.util.Locale;

/** The spi configurations of the two stores, from the {@code vectorcache.*} properties. */
final class StoreConfigs {
  private static final String VS = VectorCacheProperties.PREFIX + ".vector-store";
  private static final String MS = VectorCacheProperties.PREFIX + ".metadata-store";

  private StoreConfigs() {}

  /** The vector store's configuration; bad values name their property. */
  static VectorStoreConfig vectorStore(VectorCacheProperties.VectorStore p) {
    VectorStoreConfig.Builder b = VectorStoreConfig.builder();
    PropertyChecks.at(VS + ".url", () -> b.url(p.getUrl()));
    b.client(p.getClient());
    b.apiKey(p.getApiKey());
    PropertyChecks.at(VS + ".timeout", () -> b.timeout(p.getTimeout()));
    b.tls(tls(VS + ".tls", p.getTls()));
    return PropertyChecks.at(VS, b::build);
  }

  /** The metadata store's configuration; bad values name their property. */
  static MetadataStoreConfig metadataStore(VectorCacheProperties.MetadataStore p) {
    MetadataStoreConfig.Builder b = MetadataStoreConfig.builder();
    PropertyChecks.at(MS + ".url", () -> b.url(p.getUrl()));
    b.client(p.getClient().provider());
    if (p.getUsername() != null) {
      b.username(p.getUsername());
    }
    if (p.getPassword() != null) {
      b.password(p.getPassword());
    }
    Integer database = p.getDatabase();
    if (database != null) {
      PropertyChecks.at(MS + ".database", () -> b.database(database));
    }
    PropertyChecks.at(MS + ".key-prefix", () -> b.keyPrefix(p.getKeyPrefix()));
    b.clientName(p.getClientName().isBlank() ? null : p.getClientName());
    PropertyChecks.at(MS + ".command-timeout", () -> b.commandTimeout(p.getCommandTimeout()));
    PropertyChecks.at(MS + ".connect-timeout", () -> b.connectTimeout(p.getConnectTimeout()));
    b.tls(tls(MS + ".tls", p.getTls()));
    return PropertyChecks.at(MS, b::build);
  }

  private static TlsConfig tls(String property, VectorCacheProperties.Tls p) {
    TlsConfig.Builder b = TlsConfig.builder().verifyHostname(p.isVerifyHostname());
    if (p.getTrustedCertificates() != null) {
      b.trustedCertificates(p.getTrustedCertificates());
    }
    if (p.getClientCertificate() != null) {
      b.clientCertificate(p.getClientCertificate());
    }
    if (p.getClientKey() != null) {
      b.clientKey(p.getClientKey());
    }
    String keyPassword = p.getKeyPassword();
    if (keyPassword != null) {
      b.keyPassword(keyPassword.toCharArray());
    }
    return PropertyChecks.at(property, b::build);
  }

  /**
   * A URL for {@code toString()}: the user-info part ({@code user:password@}) and the value of
   * every query parameter other than {@code cluster} and {@code sentinelMasterId} become {@code
   * ****}, even in a malformed URL.
   */
  static String maskUrl(String url) {
    String masked = url;
    int q = masked.indexOf('?');
    if (q >= 0) {
      StringBuilder out = new StringBuilder(masked.substring(0, q + 1));
      String[] params = masked.substring(q + 1).split("&", -1);
      for (int i = 0; i < params.length; i++) {
        String param = params[i];
        int eq = param.indexOf('=');
        String name = eq < 0 ? param : param.substring(0, eq);
        String lower = name.toLowerCase(Locale.ROOT);
        boolean safe = lower.equals("cluster") || lower.equals("sentinelmasterid");
        out.append(i == 0 ? "" : "&").append(eq < 0 || safe ? param : name + "=****");
      }
      masked = out.toString();
      q = masked.indexOf('?');
    }
    int end = q < 0 ? masked.length() : q;
    int at = masked.lastIndexOf('@', end - 1);
    if (at < 0) {
      return masked;
    }
    int scheme = masked.indexOf("://");
    int start = scheme >= 0 && scheme < at ? scheme + 3 : 0;
    return masked.substring(0, start) + "****" + masked.substring(at);
  }
}
