package dev.vectorcache.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.MetadataStoreProvider;
import dev.vectorcache.spi.Resolution;
import dev.vectorcache.spi.VectorStoreProvider;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vectorcache check}: for each backend, the provider chosen and why, whether it answers a
 * ping, the round trip, the server version, and whether the collection exists with which config.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Check that the vector store (Qdrant) and the metadata store (Redis) are reachable.",
      "For each: the provider chosen and why, ping round trip, server version, and whether the"
          + " collection exists with which config (distance, dimension, storage, quantization,"
          + " on-disk payload and HNSW).",
      "Exit code 0 when every backend is reachable; otherwise one line per failure on stderr and"
          + " exit code 1 (unreachable, timed out, failing) or 2 (configuration error: a bad URL, a"
          + " scheme no adapter on the classpath handles, an unknown client)."
    })
final class CheckCommand extends BaseCommand {
  static final int PINGS = 3;

  @Mixin ConnectionOptions connection;

  @Option(
      names = "--collection",
      paramLabel = "NAME",
      defaultValue = "vectorcache",
      description = "Collection to look for. Default: ${DEFAULT-VALUE}.")
  String collection;

  @Override
  int run() throws Exception {
    Backends backends = backends();
    CliContext ctx = ctx();
    List<ObjectNode> reports = new ArrayList<>();
    try (Bounded bounded = new Bounded()) {
      reports.add(checkQdrant(backends, ctx, bounded));
      reports.add(checkRedis(backends, ctx, bounded));
    }
    boolean configError = false;
    boolean unreachable = false;
    List<String> failures = new ArrayList<>();
    for (ObjectNode r : reports) {
      if (!r.get("reachable").booleanValue()) {
        failures.add(r.get("backend").asText() + ": " + r.get("error").asText());
        if ("configuration".equals(r.get("errorKind").asText())) {
          configError = true;
        } else {
          unreachable = true;
        }
      }
    }
    int code = configError ? ExitCodes.USAGE : unreachable ? ExitCodes.FAILURE : ExitCodes.OK;
    if (json()) {
      ObjectNode doc = Json.object();
      doc.put("ok", code == ExitCodes.OK);
      doc.put("exitCode", code);
      doc.put("collection", collection);
      ArrayNode arr = doc.putArray("backends");
      reports.forEach(arr::add);
      ArrayNode f = doc.putArray("failures");
      failures.forEach(f::add);
      out().println(Json.pretty(doc));
    } else {
      printText(reports, failures);
    }
    for (String f : failures) {
      err().println("vectorcache check: " + f);
    }
    return code;
  }

  private ObjectNode checkQdrant(Backends backends, CliContext ctx, Bounded bounded) {
    Endpoint e = connection.qdrantEndpoint(ctx);
    ObjectNode r = start("qdrant", "vector store", e);
    Duration timeout = connection.timeout;
    Resolution<VectorStoreProvider> res;
    try {
      res = connection.resolveVectorStore(backends, ctx);
    } catch (ConfigurationException ex) {
      return fail(r, "configuration", ex);
    }
    putResolution(r, res.provider().name(), res.provider().artifact(), res);
    VectorStore store = null;
    try {
      store =
          bounded.call(
              "qdrant", "connect", timeout, () -> connection.openVectorStore(backends, ctx));
      VectorStore s = store;
      pings(r, () -> bounded.call("qdrant", "ping", timeout, s::ping));
      r.put("reachable", true);
      ObjectNode c = r.putObject("collection");
      c.put("name", collection);
      boolean exists =
          bounded.call(
              "qdrant", "collection exists", timeout, () -> s.collectionExists(collection));
      c.put("exists", exists);
      if (exists) {
        CollectionInfo info =
            bounded.call("qdrant", "collection info", timeout, () -> s.collectionInfo(collection));
        c.put("status", info.status().name());
        c.put("points", info.pointsCount());
        c.set("config", Describe.config(info.config()));
        c.set("memory", Describe.memoryJson(info.memory()));
      }
    } catch (Exception ex) {
      if (!r.has("reachable")) {
        return fail(r, kind(ex), ex);
      }
      // reachable, but the collection could not be read: report it, and count it as a failure
      r.remove("collection");
      r.put("reachable", false);
      r.put("errorKind", kind(ex));
      r.put("error", "collection '" + collection + "': " + Cli.message(Cli.unwrap(ex)));
    } finally {
      closeQuietly(store, bounded, timeout);
    }
    if (e.isPrivateMemory()) {
      r.put("note", PRIVATE_MEMORY_NOTE);
    }
    return r;
  }

  /** Which provider was chosen for a backend, from which artifact, and why. */
  private static void putResolution(
      ObjectNode r, String provider, String artifact, Resolution<?> res) {
    r.put("provider", provider);
    r.put("artifact", artifact);
    r.put("reason", res.reason());
    putCandidates(r, res.candidates());
  }

  private ObjectNode checkRedis(Backends backends, CliContext ctx, Bounded bounded) {
    Endpoint e = connection.redisEndpoint(ctx);
    ObjectNode r = start("redis", "metadata store", e);
    Duration timeout = connection.timeout;
    Resolution<MetadataStoreProvider> res;
    try {
      res = connection.resolveMetadataStore(backends, ctx);
    } catch (ConfigurationException ex) {
      return fail(r, "configuration", ex);
    }
    putResolution(r, res.provider().name(), res.provider().artifact(), res);
    MetadataStore store = null;
    try {
      store =
          bounded.call(
              "redis", "connect", timeout, () -> connection.openMetadataStore(backends, ctx));
      MetadataStore s = store;
      pings(r, () -> bounded.call("redis", "ping", timeout, s::ping));
      r.put("reachable", true);
    } catch (Exception ex) {
      return fail(r, kind(ex), ex);
    } finally {
      closeQuietly(store, bounded, timeout);
    }
    return r;
  }

  private ObjectNode start(String backend, String role, Endpoint e) {
    ObjectNode r = Json.object();
    r.put("backend", backend);
    r.put("role", role);
    r.put("url", e.masked(ctx().masker()));
    r.put("urlSource", e.source());
    return r;
  }

  private static void putCandidates(ObjectNode r, List<String> candidates) {
    ArrayNode a = r.putArray("candidates");
    candidates.forEach(a::add);
  }

  @FunctionalInterface
  private interface Ping {
    BackendInfo ping() throws Exception;
  }

  private static void pings(ObjectNode r, Ping ping) throws Exception {
    List<Duration> trips = new ArrayList<>();
    BackendInfo last = ping.ping();
    trips.add(last.roundTrip());
    for (int i = 1; i < PINGS; i++) {
      last = ping.ping();
      trips.add(last.roundTrip());
    }
    List<Duration> sorted = trips.stream().sorted().toList();
    ObjectNode rt = r.putObject("roundTrip");
    rt.put("pings", PINGS);
    rt.put("medianMillis", millis(sorted.get(sorted.size() / 2)));
    rt.put("minMillis", millis(sorted.get(0)));
    rt.put("maxMillis", millis(sorted.get(sorted.size() - 1)));
    ObjectNode server = r.putObject("server");
    server.put("kind", last.backend());
    server.put("version", last.serverVersion());
    server.put("client", last.client());
    ObjectNode d = server.putObject("details");
    for (Map.Entry<String, String> en : new java.util.TreeMap<>(last.details()).entrySet()) {
      d.put(en.getKey(), en.getValue());
    }
  }

  private static double millis(Duration d) {
    return Math.round(d.toNanos() / 1e3) / 1e3;
  }

  private static String kind(Exception ex) {
    Throwable t = Cli.unwrap(ex);
    if (t instanceof ConfigurationException || t instanceof InvalidInputException) {
      return "configuration";
    }
    if (t instanceof BackendTimeoutException) {
      return "timeout";
    }
    return "unreachable";
  }

  private static ObjectNode fail(ObjectNode r, String kind, Exception ex) {
    r.put("reachable", false);
    r.put("errorKind", kind);
    r.put("error", Cli.message(Cli.unwrap(ex)));
    return r;
  }

  private static void closeQuietly(@Nullable AutoCloseable c, Bounded bounded, Duration timeout) {
    if (c == null) {
      return;
    }
    try {
      bounded.call(
          "close",
          "close",
          timeout,
          () -> {
            c.close();
            return null;
          });
    } catch (Exception ignored) {
      // closing a store we only pinged: nothing useful to report
    }
  }

  private void printText(List<ObjectNode> reports, List<String> failures) {
    PrintWriter out = out();
    out.println(
        "vectorcache check (collection '"
            + collection
            + "', timeout "
            + Durations.human(connection.timeout)
            + ")");
    for (ObjectNode r : reports) {
      out.println();
      boolean q = r.get("backend").asText().equals("qdrant");
      out.println((q ? "Qdrant" : "Redis") + " (" + r.get("role").asText() + ")");
      String flag = q ? "--qdrant-url" : "--redis-url";
      String env = q ? "QDRANT_URL" : "REDIS_URL";
      String src = r.get("urlSource").asText();
      line(
          out,
          "url",
          r.get("url").asText()
              + (src.equals("default")
                  ? " (default: no " + flag + " or " + env + " given)"
                  : " (from " + src + ")"));
      if (r.has("provider")) {
        line(out, "provider", r.get("provider").asText() + " [" + r.get("artifact").asText() + "]");
        line(out, "why", r.get("reason").asText());
      }
      boolean ok = r.get("reachable").booleanValue();
      if (r.has("roundTrip")) {
        JsonNode rt = r.get("roundTrip");
        line(out, "reachable", "yes");
        line(
            out,
            "round trip",
            rt.get("medianMillis").asDouble()
                + " ms (median of "
                + rt.get("pings").asInt()
                + " pings; min "
                + rt.get("minMillis").asDouble()
                + " ms, max "
                + rt.get("maxMillis").asDouble()
                + " ms)");
        JsonNode s = r.get("server");
        line(
            out,
            "server",
            s.get("kind").asText()
                + " "
                + s.get("version").asText()
                + " (client "
                + s.get("client").asText()
                + ")");
        JsonNode d = s.get("details");
        if (d.size() > 0) {
          List<String> parts = new ArrayList<>();
          for (Map.Entry<String, JsonNode> en : d.properties()) {
            parts.add(en.getKey() + "=" + en.getValue().asText());
          }
          line(out, "details", String.join(", ", parts));
        }
      }
      if (!ok) {
        line(
            out,
            r.has("roundTrip") ? "but" : "reachable",
            (r.has("roundTrip") ? "FAILED (" : "NO (")
                + r.get("errorKind").asText()
                + "): "
                + r.get("error").asText());
      }
      JsonNode c = r.get("collection");
      if (c != null) {
        if (c.get("exists").booleanValue()) {
          line(
              out,
              "collection",
              "'"
                  + c.get("name").asText()
                  + "' exists: "
                  + c.get("points").asLong()
                  + " points, status "
                  + c.get("status").asText());
          JsonNode cfg = c.get("config");
          JsonNode qz = cfg.get("quantization");
          line(out, "  distance", cfg.get("distance").asText());
          line(out, "  dimension", cfg.get("dimension").asText());
          line(out, "  storage", cfg.get("storageMode").asText());
          line(
              out,
              "  quantization",
              qz.isNull()
                  ? "none"
                  : qz.get("type").asText()
                      + (qz.has("quantile")
                          ? " (quantile " + qz.get("quantile").asText() + ")"
                          : "")
                      + (qz.get("alwaysRam").asBoolean() ? ", codes in RAM" : ""));
          line(out, "  payload", cfg.get("onDiskPayload").asBoolean() ? "on disk" : "in RAM");
          line(
              out,
              "  hnsw",
              "m="
                  + cfg.get("hnsw").get("m").asInt()
                  + ", ef_construct="
                  + cfg.get("hnsw").get("efConstruct").asInt()
                  + ", "
                  + (cfg.get("hnsw").get("onDisk").asBoolean() ? "on disk" : "in RAM"));
        } else {
          line(
              out,
              "collection",
              "'" + c.get("name").asText() + "' does not exist (it is created on first use)");
        }
      }
      if (r.has("note")) {
        line(out, "note", r.get("note").asText());
      }
    }
    out.println();
    if (failures.isEmpty()) {
      out.println("Result: OK, every backend is reachable");
    } else {
      out.println(
          "Result: FAILED ("
              + failures.size()
              + (failures.size() == 1 ? " failure)" : " failures)"));
    }
  }

  private static void line(PrintWriter out, String label, String value) {
    String l = "  " + label + ":";
    out.println(l + " ".repeat(Math.max(1, 17 - l.length())) + value);
  }
}
