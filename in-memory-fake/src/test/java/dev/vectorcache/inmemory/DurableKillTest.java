package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.model.RetrievedPoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM ({@link DurableKillChild}, fsync ALWAYS) with SIGKILL at random points,
 * 25 times, and checks after each kill that the directory holds every acknowledged write and
 * nothing that was never attempted: acknowledged ⊆ present ⊆ attempted, for inserts, deletes and
 * payload updates. A write in flight at the kill may or may not be there.
 */
class DurableKillTest {
  private static final int KILLS = 25;

  @TempDir Path dir;

  // the model, from the children's output
  private final Set<Long> insertAttempted = new HashSet<>();
  private final Set<Long> insertAcked = new HashSet<>();
  private final Set<Long> deleteAttempted = new HashSet<>();
  private final Set<Long> deleteAcked = new HashSet<>();
  private final Map<Long, Set<Long>> valuesAttempted = new HashMap<>();
  private final Map<Long, Long> valueAcked = new HashMap<>();
  private long highest;
  private int updatesAcked;

  @Test
  void everyAcknowledgedWriteSurvivesSigkillAndNothingUnattemptedAppears() throws Exception {
    Path data = dir.resolve("data");
    Random random = new Random(20261201L);
    for (int round = 0; round < KILLS; round++) {
      List<String> lines = runAndKill(data, random.nextLong(), 50 + random.nextInt(400));
      lines.forEach(this::record);
      InMemoryVectorStore store = DurableFixtures.open(data);
      try {
        check(store, round);
      } finally {
        if (round % 2 == 0) {
          store.close(); // a checkpoint
        } else {
          store.abandon(); // the log grows across rounds
        }
      }
    }
    assertThat(insertAcked).hasSizeGreaterThan(KILLS);
    assertThat(deleteAcked).isNotEmpty();
    assertThat(updatesAcked).isPositive();
  }

  /** Starts a child, waits until it writes, lets it run {@code millis}, kills it; its output. */
  private List<String> runAndKill(Path data, long seed, int millis) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx128m",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            DurableKillChild.class.getName(),
            data.toString(),
            Long.toString(seed),
            Long.toString(highest + 1));
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process child = pb.start();
    List<String> lines = new ArrayList<>();
    CountDownLatch ready = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  if (line.equals("READY")) {
                    ready.countDown();
                  } else {
                    synchronized (lines) {
                      lines.add(line);
                    }
                  }
                }
              } catch (IOException e) {
                // the pipe closed with the child
              }
            });
    reader.start();
    try {
      assertThat(ready.await(60, TimeUnit.SECONDS)).as("the child started writing").isTrue();
      Thread.sleep(millis);
    } finally {
      ProcessHandle handle = child.toHandle();
      handle.destroyForcibly(); // SIGKILL on Unix
      child.waitFor(30, TimeUnit.SECONDS);
      reader.join(30_000);
    }
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** One complete line ({@code ... .}) into the model; a line cut by the kill is ignored. */
  private void record(String line) {
    if (!line.endsWith(" .")) {
      return;
    }
    String[] f = line.substring(0, line.length() - 2).split(" ", -1);
    boolean acked = f[0].equals("K");
    long id = Long.parseLong(f[2]);
    highest = Math.max(highest, id);
    switch (f[1]) {
      case "I" -> (acked ? insertAcked : insertAttempted).add(id);
      case "D" -> (acked ? deleteAcked : deleteAttempted).add(id);
      case "U" -> {
        long v = Long.parseLong(f[3]);
        highest = Math.max(highest, v);
        if (acked) {
          valueAcked.merge(id, v, Math::max);
          updatesAcked++;
        } else {
          valuesAttempted.computeIfAbsent(id, k -> new HashSet<>()).add(v);
        }
      }
      default -> throw new AssertionError("unknown line " + line);
    }
  }

  private void check(InMemoryVectorStore store, int round) {
    Map<Long, Map<String, Object>> present = new HashMap<>();
    for (RetrievedPoint p : DurableFixtures.scrollAll(store, "c", false)) {
      present.put(p.id().num(), p.payload());
    }
    for (long id : insertAcked) {
      if (!deleteAttempted.contains(id)) {
        assertThat(present).as("round %d: acknowledged insert %d", round, id).containsKey(id);
      }
    }
    for (long id : deleteAcked) {
      assertThat(present).as("round %d: acknowledged delete %d", round, id).doesNotContainKey(id);
    }
    for (Map.Entry<Long, Map<String, Object>> e : present.entrySet()) {
      long id = e.getKey();
      assertThat(insertAttempted).as("round %d: %d was never attempted", round, id).contains(id);
      assertThat(e.getValue()).as("round %d: payload of %d", round, id).containsEntry("i", id);
      Object v = e.getValue().get("v");
      Long acked = valueAcked.get(id);
      if (v == null) {
        assertThat(acked).as("round %d: acknowledged update of %d", round, id).isNull();
      } else {
        assertThat(valuesAttempted.getOrDefault(id, Set.of()))
            .as("round %d: value of %d", round, id)
            .contains((Long) v);
        if (acked != null) {
          assertThat((Long) v).as("round %d: value of %d", round, id).isGreaterThanOrEqualTo(acked);
        }
      }
    }
  }
}
