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
}
