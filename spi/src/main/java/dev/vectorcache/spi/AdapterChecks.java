package dev.vectorcache.spi;

import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import java.util.Optional;

/**
 * For adapter authors: the checks an adapter runs when it opens a store, so that a setting it
 * cannot honour is refused with a message naming the setting and the adapter, never ignored.
 */
public final class AdapterChecks {
  private AdapterChecks() {}

  /**
   * The single node of a standalone topology.
   *
   * @param topology the config's topology (empty for the embedded store)
   * @param adapter the adapter's name, for messages
   * @param schemes the URL schemes the adapter opens, for messages
   * @throws ConfigurationException for the embedded store (no server to connect to)
   * @throws UnsupportedCapabilityException for a cluster or Sentinel topology
   */
  public static HostAndPort standaloneNode(
      Optional<Topology> topology, String adapter, String schemes) {
    Topology t =
        topology.orElseThrow(
            () ->
                new ConfigurationException(
                    "adapter '"
                        + adapter
                        + "' opens "
                        + schemes
                        + " URLs, found memory:; use a server URL, or no client name for the"
                        + " embedded store"));
    if (t instanceof Topology.Standalone s) {
      return s.node();
    }
    throw new UnsupportedCapabilityException(
        "topology: adapter '"
            + adapter
            + "' does not support a "
            + t.kind()
            + " topology yet; give one node (a standalone URL) instead");
  }

  /**
   * Refuses the TLS settings that name files (trusted certificates, client certificate and key),
   * for an adapter that cannot load them yet.
   *
   * @throws UnsupportedCapabilityException naming the first such setting
   */
  public static void refuseTlsFiles(TlsConfig tls, String adapter) {
    String setting =
        tls.trustedCertificates().isPresent()
            ? "tls.trustedCertificates"
            : tls.clientCertificate().isPresent() ? "tls.clientCertificate" : null;
    if (setting != null) {
      throw new UnsupportedCapabilityException(
          setting
              + ": adapter '"
              + adapter
              + "' cannot load TLS certificate files yet; trust the server's CA in the JVM trust"
              + " store (javax.net.ssl.trustStore) and leave "
              + setting
              + " unset");
    }
  }

  /**
   * Refuses switching off host name verification, for an adapter that cannot do so.
   *
   * @throws UnsupportedCapabilityException naming {@code tls.verifyHostname}
   */
  public static void refuseHostnameVerificationOff(TlsConfig tls, String adapter) {
    if (!tls.verifyHostname()) {
      throw new UnsupportedCapabilityException(
          "tls.verifyHostname=false: adapter '"
              + adapter
              + "' always verifies the server's host name; use a certificate that names the host");
    }
  }
}
