package dev.vectorcache.inmemory;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.RetrievedPoint;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The child process of {@link DurableKillTest}: opens a durable store (fsync ALWAYS) and writes
 * until it is killed: inserts of fresh ids, deletes and payload updates of live ones. Before each
 * write it prints {@code A <op> <id> [<v>] .} (attempted), after it returns {@code K ...}
 * (acknowledged), each line flushed.
 *
 * <p>Arguments: the storage directory, a seed, and the first number to use for ids and payload
 * values (above any the parent has seen).
 */
public final class DurableKillChild {
  private DurableKillChild() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    Random random = new Random(Long.parseLong(args[1]));
    long next = Long.parseLong(args[2]);
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    InMemoryVectorStore store =
        new InMemoryVectorStore(
            EmbeddedOptions.builder()
                .storageDirectory(dir)
                .fsyncPolicy(FsyncPolicy.ALWAYS)
                .checkpointBytes(64 * 1024)
                .build());
    if (!store.collectionExists("c")) {
      store.createCollection("c", CollectionConfig.builder(8, Distance.EUCLID).build());
    }
    List<Long> alive = new ArrayList<>();
    for (RetrievedPoint p : DurableFixtures.scrollAll(store, "c", false)) {
      alive.add(p.id().num());
    }
    out.println("READY");
    out.flush();
    while (true) {
      long n = next++;
      int op = random.nextInt(10);
      if (op < 6 || alive.isEmpty()) {
        line(out, "A I " + n);
        float[] v = new float[8];
        v[(int) (n % 8)] = n;
        store.upsert("c", List.of(PointStruct.of(PointId.of(n), v, Map.of("i", n))));
        line(out, "K I " + n);
        alive.add(n);
      } else if (op < 8) {
        long id = alive.remove(random.nextInt(alive.size()));
        line(out, "A D " + id);
        store.delete("c", List.of(PointId.of(id)));
        line(out, "K D " + id);
      } else {
        long id = alive.get(random.nextInt(alive.size()));
        line(out, "A U " + id + " " + n);
        store.setPayload("c", List.of(PointId.of(id)), Map.of("v", n));
        line(out, "K U " + id + " " + n);
      }
    }
  }

  private static void line(PrintStream out, String text) {
    out.println(text + " .");
    out.flush();
  }
}
