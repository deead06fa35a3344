package dev.vectorcache.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.MetadataStoreProvider;
import dev.vectorcache.spi.Resolution;
import dev.vectorcache.spi.VectorStoreConfig;
import dev.vectorcache.spi.VectorStoreProvider;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Command;

/** {@code vectorcache backends}: the providers on the classpath and which one each scheme gets. */
@Command(
    name = "backends",
    mixinStandardHelpOptions = true,
    description = {
      "List the store providers found on the classpath (ServiceLoader), the URL schemes each one"
          + " claims, its priority and artifact, and which provider each scheme resolves to."
    })
final class BackendsCommand extends BaseCommand {
  static final List<String> VECTOR_SCHEMES = List.of("memory", "http", "https", "grpc", "grpcs");
  static final List<String> METADATA_SCHEMES =
      List.of("memory", "redis", "rediss", "redis-sentinel", "rediss-sentinel");

  @Override
  int run() {
    Backends b = backends();
    List<VectorStoreProvider> vs =
        b.vectorStoreProviders().stream()
            .sorted(Comparator.comparing(VectorStoreProvider::name))
            .toList();
    List<MetadataStoreProvider> ms =
        b.metadataStoreProviders().stream()
            .sorted(Comparator.comparing(MetadataStoreProvider::name))
            .toList();
    if (json()) {
      ObjectNode doc = Json.object();
      doc.put("ok", true);
      ArrayNode v = doc.putArray("vectorStoreProviders");
      for (VectorStoreProvider p : vs) {
        v.add(provider(p.name(), p.schemes(), p.priority(), p.artifact(), p.getClass()));
      }
      ArrayNode m = doc.putArray("metadataStoreProviders");
      for (MetadataStoreProvider p : ms) {
        m.add(provider(p.name(), p.schemes(), p.priority(), p.artifact(), p.getClass()));
      }
      ObjectNode vr = doc.putObject("vectorStoreSchemes");
      for (String s : VECTOR_SCHEMES) {
        vr.set(
            s, resolution(() -> b.resolveVectorStore(vectorConfig(s)), VectorStoreProvider::name));
      }
      ObjectNode mr = doc.putObject("metadataStoreSchemes");
      for (String s : METADATA_SCHEMES) {
        mr.set(
            s,
            resolution(
                () -> b.resolveMetadataStore(metadataConfig(s)), MetadataStoreProvider::name));
      }
      out().println(Json.pretty(doc));
      return ExitCodes.OK;
    }
    PrintWriter out = out();
    out.println("Vector store providers (the Qdrant port):");
    Table t = new Table(64, "name", "schemes", ">priority", "artifact", "class");
    vs.forEach(
        p ->
            t.row(
                p.name(),
                schemes(p.schemes()),
                p.priority(),
                p.artifact(),
                p.getClass().getName()));
    t.print(out, "  ");
    out.println();
    out.println("Metadata store providers (the Redis port):");
    Table t2 = new Table(64, "name", "schemes", ">priority", "artifact", "class");
    ms.forEach(
        p ->
            t2.row(
                p.name(),
                schemes(p.schemes()),
                p.priority(),
                p.artifact(),
                p.getClass().getName()));
    t2.print(out, "  ");
    out.println();
    out.println("Which provider each URL scheme gets (when no client is named):");
    for (String s : VECTOR_SCHEMES) {
      out.println(
          "  vector   "
              + pad(s + ":", 8)
              + text(() -> b.resolveVectorStore(vectorConfig(s)), VectorStoreProvider::name));
    }
    for (String s : METADATA_SCHEMES) {
      out.println(
          "  metadata "
              + pad(s + ":", 8)
              + text(() -> b.resolveMetadataStore(metadataConfig(s)), MetadataStoreProvider::name));
    }
    return ExitCodes.OK;
  }

  private static VectorStoreConfig vectorConfig(String scheme) {
    return VectorStoreConfig.fromUrl(scheme.equals("memory") ? "memory:" : scheme + "://localhost");
  }

  private static MetadataStoreConfig metadataConfig(String scheme) {
    return MetadataStoreConfig.fromUrl(
        scheme.equals("memory") ? "memory:" : scheme + "://localhost");
  }

  private static String schemes(java.util.Set<String> s) {
    return String.join(", ", s.stream().sorted().toList());
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(Math.max(1, w - s.length()));
  }

  private static ObjectNode provider(
      String name, java.util.Set<String> schemes, int priority, String artifact, Class<?> type) {
    ObjectNode n = Json.object();
    n.put("name", name);
    ArrayNode s = n.putArray("schemes");
    schemes.stream().sorted().forEach(s::add);
    n.put("priority", priority);
    n.put("artifact", artifact);
    n.put("class", type.getName());
    return n;
  }

  private static <P> ObjectNode resolution(
      java.util.function.Supplier<Resolution<P>> r, Function<P, String> name) {
    ObjectNode n = Json.object();
    try {
      Resolution<P> res = r.get();
      n.put("provider", name.apply(res.provider()));
      n.put("reason", res.reason());
      ArrayNode c = n.putArray("candidates");
      res.candidates().forEach(c::add);
    } catch (ConfigurationException e) {
      n.putNull("provider");
      n.put("error", e.getMessage());
    }
    return n;
  }

  private static <P> String text(
      java.util.function.Supplier<Resolution<P>> r, Function<P, String> name) {
    try {
      Resolution<P> res = r.get();
      return name.apply(res.provider()) + " (" + res.reason() + ")";
    } catch (ConfigurationException e) {
      return "none: " + e.getMessage();
    }
  }
}
