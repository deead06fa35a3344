package dev.vectorcache.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.qdrant.testserver.QdrantTestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many application instances (issue 12, item 6): three caches in this JVM (Lettuce, Jedis, Lettuce)
 * and one in a child JVM share one Redis (a node, a cluster or a Sentinel group, given to each as
 * the URL an application would configure) and one vector store (the Qdrant test server over gRPC).
 * Each round one instance stores or deletes a key, then every other instance reads it: a read that
 * starts after the write was acknowledged sees it (get and search), a delete likewise; and every
 * instance's subscriber receives the events of the writes made through the others.
 */
class ManyInstancesIT {
  private static final int ROUNDS = 60;
  private static final int KEYS = 12;
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static QdrantTestServer qdrant;

  @BeforeAll
  static void startQdrant() {
    qdrant = Qdrant.startServer();
  }

  @AfterAll
  static void stopQdrant() {
    qdrant.close();
  }

  /** The events one instance received, as "TYPE key version". */
  private static final class Seen {
    final Set<String> events = ConcurrentHashMap.newKeySet();

    void add(MetadataEvent e) {
      events.add(e.type() + " " + e.key() + " " + e.version());
    }
  }

  @ParameterizedTest
  @EnumSource(RedisDeployment.Kind.class)
  void readsAfterAnAcknowledgedWriteSeeItOnEveryInstanceAndEventsReachEveryone(
      RedisDeployment.Kind kind) throws Exception {
    String collection = "many_" + kind.name().toLowerCase(Locale.ROOT);
    try (RedisDeployment redis = RedisDeployment.start(kind);
        CacheInstance a =
            new CacheInstance(redis.url(), "lettuce", qdrant.url(), collection, TIMEOUT);
        CacheInstance b =
            new CacheInstance(redis.url(), "jedis", qdrant.url(), collection, TIMEOUT);
        CacheInstance c =
            new CacheInstance(redis.url(), "lettuce", qdrant.url(), collection, TIMEOUT);
        Child child = Child.start(redis.url(), "jedis", qdrant.url(), collection)) {
      List<Seen> seen = List.of(new Seen(), new Seen(), new Seen(), child.seen);
      List<AutoCloseable> subscriptions =
          List.of(
              a.subscribe(seen.get(0)::add),
              b.subscribe(seen.get(1)::add),
              c.subscribe(seen.get(2)::add));
      try {
        List<Instance> instances =
            List.of(local(a, "a"), local(b, "b"), local(c, "c"), child.asInstance());
        List<Set<String>> expectedBy = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
          expectedBy.add(new HashSet<>());
        }
        SplittableRandom rnd = new SplittableRandom(33);
        int deletes = 0;
        for (int round = 0; round < ROUNDS; round++) {
          int w = round % instances.size();
          Instance writer = instances.get(w);
          String key = "k" + rnd.nextInt(KEYS);
          String event;
          Optional<Long> expected;
          if (round % 7 == 6) {
            boolean existed = writer.delete(key);
            expected = Optional.empty();
            deletes++;
            // a delete of a key that was never stored announces nothing to compare against
            event = existed ? "DELETED " + key : null;
          } else {
            long version = writer.store(key, round);
            expected = Optional.of((long) round);
            event = "STORED " + key + " " + version;
          }
          for (int r = 0; r < instances.size(); r++) {
            if (r == w) {
              continue;
            }
            Instance reader = instances.get(r);
            assertThat(reader.get(key))
                .as(
                    "round %d: get through %s after %s wrote %s",
                    round, reader.name, writer.name, key)
                .isEqualTo(expected);
            assertThat(reader.search(key))
                .as(
                    "round %d: search through %s after %s wrote %s",
                    round, reader.name, writer.name, key)
                .isEqualTo(expected);
            if (event != null) {
              expectedBy.get(r).add(event);
            }
          }
        }
        assertThat(deletes).isPositive();
        Awaitility.await()
            .atMost(30, TimeUnit.SECONDS)
            .untilAsserted(
                () -> {
                  for (int r = 0; r < instances.size(); r++) {
                    Set<String> got = new HashSet<>();
                    for (String e : seen.get(r).events) {
                      // a delete event's version is the deleted entry's; compare type and key
                      got.add(e.startsWith("DELETED ") ? e.substring(0, e.lastIndexOf(' ')) : e);
                    }
                    assertThat(got)
                        .as("events received by %s", instances.get(r).name)
                        .containsAll(expectedBy.get(r));
                  }
                });
      } finally {
        for (AutoCloseable sub : subscriptions) {
          sub.close();
        }
      }
    }
  }

  /** What the scenario does with one instance, in this JVM or the child. */
  interface Ops {
    long store(String key, long seq) throws Exception;

    Optional<Long> get(String key) throws Exception;

    Optional<Long> search(String key) throws Exception;

    boolean delete(String key) throws Exception;
  }

  /** An instance with a name for messages. */
  record Instance(String name, Ops ops) {
    long store(String key, long seq) throws Exception {
      return ops.store(key, seq);
    }

    Optional<Long> get(String key) throws Exception {
      return ops.get(key);
    }

    Optional<Long> search(String key) throws Exception {
      return ops.search(key);
    }

    boolean delete(String key) throws Exception {
      return ops.delete(key);
    }
  }

  private static Instance local(CacheInstance c, String name) {
    return new Instance(
        name,
        new Ops() {
          @Override
          public long store(String key, long seq) {
            return c.store(key, seq);
          }

          @Override
          public Optional<Long> get(String key) {
            return c.get(key);
          }

          @Override
          public Optional<Long> search(String key) {
            return c.search(key);
          }

          @Override
          public boolean delete(String key) {
            return c.delete(key);
          }
        });
  }

  /** {@link CacheInstance#main} in a child JVM, stopped by its PID. */
  static final class Child implements AutoCloseable {
    final Seen seen = new Seen();
    private final Process process;
    private final Writer in;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

    private Child(Process process) {
      this.process = process;
      this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader = new Thread(this::pump, "many-instances-child-out");
      reader.setDaemon(true);
      reader.start();
    }

    static Child start(String redisUrl, String client, String qdrantUrl, String collection)
        throws Exception {
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      Process p =
          new ProcessBuilder(
                  java.toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  CacheInstance.class.getName(),
                  redisUrl,
                  client,
                  qdrantUrl,
                  collection)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      Child child = new Child(p);
      try {
        child.expect("READY");
      } catch (Exception | AssertionError e) {
        child.close();
        throw e;
      }
      return child;
    }

    private void pump() {
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (line.startsWith("EVENT ")) {
            seen.events.add(line.substring("EVENT ".length()));
          } else {
            replies.add(line);
          }
        }
      } catch (IOException e) {
        replies.add("ERROR " + e);
      }
    }

    private String call(String command, String replyHead) throws Exception {
      in.write(command + "\n");
      in.flush();
      String reply = expect(replyHead);
      return reply.substring(replyHead.length()).trim();
    }

    private String expect(String head) throws InterruptedException {
      String reply = replies.poll(60, TimeUnit.SECONDS);
      assertThat(reply).as("the child's answer to " + head).isNotNull().startsWith(head);
      return reply;
    }

    Instance asInstance() {
      return new Instance(
          "child JVM",
          new Ops() {
            @Override
            public long store(String key, long seq) throws Exception {
              return Long.parseLong(call("STORE " + key + " " + seq, "ACK " + key));
            }

            @Override
            public Optional<Long> get(String key) throws Exception {
              return parse(call("GET " + key, "GOT " + key));
            }

            @Override
            public Optional<Long> search(String key) throws Exception {
              return parse(call("SEARCH " + key, "FOUND " + key));
            }

            @Override
            public boolean delete(String key) throws Exception {
              return Boolean.parseBoolean(call("DELETE " + key, "DELETED " + key));
            }
          });
    }

    private static Optional<Long> parse(String s) {
      return s.equals("NONE") ? Optional.empty() : Optional.of(Long.parseLong(s));
    }

    @Override
    public void close() {
      try {
        in.write("QUIT\n");
        in.flush();
      } catch (IOException e) {
        // already gone
      }
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
