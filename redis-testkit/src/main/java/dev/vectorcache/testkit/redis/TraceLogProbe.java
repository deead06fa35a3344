package dev.vectorcache.testkit.redis;

import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.port.BatchMetadataWrites;
import dev.vectorcache.core.port.BatchMetadataWrites.CopyWrite;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.Subscription;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.MetadataStoreConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small program that {@link RedisMetadataStoreFaultContract} runs in a JVM of its own with every
 * logger at TRACE (levels of SLF4J's simple binding are fixed when a logger is first made, so a
 * test cannot raise them inside its own JVM). It opens a store with the right password, uses every
 * call, opens one with a wrong password, prints every exception, and says on its output whether
 * TRACE was really on. The test then searches the whole output for the password.
 *
 * <p>Arguments: the client ({@code lettuce} or {@code jedis}), {@code host:port}, the right
 * password, a wrong password, the key prefix.
 */
public final class TraceLogProbe {
  private TraceLogProbe() {}

  /**
   * Runs the probe; exits with 0 when every call with the right password worked.
   *
   * @param args see the class comment
   * @throws InterruptedException never in practice
   */
  public static void main(String[] args) throws InterruptedException {
    String client = args[0];
    String hostPort = args[1];
    Logger probe = LoggerFactory.getLogger(TraceLogProbe.class);
    System.err.println(
        "trace-enabled="
            + (LoggerFactory.getLogger("io.lettuce.core.protocol.CommandEncoder").isTraceEnabled()
                && LoggerFactory.getLogger("redis.clients.jedis.Connection").isTraceEnabled()
                && probe.isTraceEnabled()));
    MetadataStoreConfig right = config(client, hostPort, args[2], args[4]);
    System.err.println("config " + right + " " + right.maskedUrl());
    try (MetadataStore store = Backends.discover().openMetadataStore(right)) {
      use(store);
    }
    try (MetadataStore wrong =
        Backends.discover().openMetadataStore(config(client, hostPort, args[3], args[4]))) {
      System.err.println("unexpected: the wrong password was accepted by " + wrong);
      System.exit(3);
    } catch (RuntimeException expected) {
      // the whole trace, causes included, goes to the output the test searches
      StringWriter trace = new StringWriter();
      expected.printStackTrace(new PrintWriter(trace));
      System.err.println(trace);
    }
    System.err.println("probe-done");
  }

  private static MetadataStoreConfig config(
      String client, String hostPort, String password, String prefix) {
    return MetadataStoreConfig.builder()
        .url("redis://default:" + password + "@" + hostPort)
        .client(client)
        .keyPrefix(prefix)
        .commandTimeout(Duration.ofSeconds(5))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  private static void use(MetadataStore store) throws InterruptedException {
    Instant expires = Instant.now().plusSeconds(60);
    MetadataEntry e = new MetadataEntry("probe", Map.of("title", "hello"), 1, expires);
    store.put(e, Duration.ofMinutes(1));
    store.get("probe");
    store.getAll(List.of("probe", "none"));
    store.ttl("probe");
    store.expire("probe", Duration.ofMinutes(2));
    CountDownLatch heard = new CountDownLatch(2);
    try (Subscription s = store.subscribe("probe-events", ev -> heard.countDown())) {
      MetadataEvent ev =
          new MetadataEvent(MetadataEvent.Type.STORED, "probe-events", "probe", 2, Instant.now());
      store.publish(ev);
      BatchMetadataWrites batch = store.extension(BatchMetadataWrites.class).orElseThrow();
      MetadataEntry newer = new MetadataEntry("probe", Map.of("title", "again"), 2, expires);
      batch
          .writeAll(
              List.of(new CopyWrite(newer, Duration.ofMinutes(1), CopyWrite.Condition.IF_NEWER)),
              List.of(ev))
          .join();
      if (!heard.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("events did not arrive on " + s.channel());
      }
    }
    store.async().get("probe").join();
    System.err.println("store " + store + " " + store.async() + " " + store.ping());
    store.delete("probe");
  }
}
