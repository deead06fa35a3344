package dev.vectorcache.testkit.redis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** One node's view of a Redis Cluster, parsed from {@code CLUSTER NODES}. */
final class ClusterView {
  private ClusterView() {}

  /**
   * One line of {@code CLUSTER NODES}: {@code <id> <ip:port@cport[,hostname]> <flags> <master>
   * <ping-sent> <pong-recv> <config-epoch> <link-state> <slot> ...}.
   *
   * @param id the node id
   * @param port the client port
   * @param flags {@code myself}, {@code master}, {@code slave}, {@code fail?}, {@code fail}, ...
   * @param masterId the primary's id for a replica, else {@code -}
   * @param connected whether the link state is {@code connected}
   * @param slots the slot ranges, for example {@code 0-5460}
   */
  record Entry(
      String id,
      int port,
      Set<String> flags,
      String masterId,
      boolean connected,
      List<String> slots) {
    boolean master() {
      return flags.contains("master");
    }

    /** Marked failing ({@code fail}, {@code fail?}) or not yet met ({@code handshake}). */
    boolean failing() {
      return flags.contains("fail")
          || flags.contains("fail?")
          || flags.contains("handshake")
          || flags.contains("noaddr");
    }

    int firstSlot() {
      if (slots.isEmpty()) {
        return Integer.MAX_VALUE;
      }
      String first = slots.get(0);
      int dash = first.indexOf('-');
      return Integer.parseInt(dash < 0 ? first : first.substring(0, dash));
    }

    /** What every node must agree on: the role, the primary's port and the slots. */
    String agreedPart(List<Entry> view) {
      int masterPort = 0;
      for (Entry e : view) {
        if (e.id.equals(masterId)) {
          masterPort = e.port;
        }
      }
      return port + (master() ? " master " : " replica of " + masterPort + " ") + slots;
    }
  }

  static List<Entry> parse(String nodes) {
    List<Entry> out = new ArrayList<>();
    for (String line : nodes.split("\r?\n", -1)) {
      String[] f = line.trim().split(" ", -1);
      if (f.length < 8) {
        continue;
      }
      String addr = f[1];
      int colon = addr.lastIndexOf(':', addr.indexOf('@') < 0 ? addr.length() : addr.indexOf('@'));
      int end = addr.indexOf('@') < 0 ? addr.length() : addr.indexOf('@');
      int port = Integer.parseInt(addr.substring(colon + 1, end));
      List<String> slots = new ArrayList<>();
      for (int i = 8; i < f.length; i++) {
        // importing/migrating markers ([slot->-id]) are not owned slots
        if (!f[i].startsWith("[")) {
          slots.add(f[i]);
        }
      }
      out.add(
          new Entry(
              f[0],
              port,
              Set.copyOf(Arrays.asList(f[2].split(",", -1))),
              f[3],
              f[7].equals("connected"),
              List.copyOf(slots)));
    }
    out.sort((a, b) -> Integer.compare(a.port(), b.port()));
    return out;
  }

  static boolean isMaster(List<Entry> view, int port) {
    for (Entry e : view) {
      if (e.port() == port) {
        return e.master();
      }
    }
    return false;
  }
}
