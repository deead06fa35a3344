package dev.vectorcache.examples;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.inmemory.EmbeddedOptions;
import dev.vectorcache.inmemory.FsyncPolicy;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The embedded engine on a directory ({@code docs/storage.md}): a write acknowledged by the store
 * is there again when the directory is opened by the next process. The first argument names the
 * directory; without one, a temporary directory is used.
 */
public class DurableEmbeddedStore {
  public static void main(String[] args) throws IOException {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("vectorcache-");
    try (InMemoryVectorStore store = new InMemoryVectorStore(options(dir))) {
      store.createCollection("notes", CollectionConfig.builder(3, Distance.COSINE).build());
      store.upsert(
          "notes",
          List.of(
              PointStruct.of(PointId.of(1), new float[] {1, 0, 0}, Map.of("text", "kept")),
              PointStruct.of(PointId.of(2), new float[] {0, 1, 0}, Map.of("text", "also kept"))));
    }
    // a new store on the same directory: the last checkpoint, then the log after it
    try (InMemoryVectorStore store = new InMemoryVectorStore(options(dir))) {
      System.out.println("points after reopening: " + store.count("notes", null));
    }
  }

  static EmbeddedOptions options(Path dir) {
    // tag::durable[]
    EmbeddedOptions options =
        EmbeddedOptions.builder()
            .storageDirectory(dir) // e.g. Path.of("/var/lib/app/vectors")
            .fsyncPolicy(FsyncPolicy.ALWAYS) // the default: fsync before each write returns
            .build();
    // try (InMemoryVectorStore store = new InMemoryVectorStore(options)) { ... }
    // or by URL: memory:?path=/var/lib/app/vectors&fsync=interval&fsyncIntervalMs=50
    // end::durable[]
    return options;
  }
}
