package dev.vectorcache.inmemory;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.port.CollectionAliases;
import dev.vectorcache.core.port.MultiVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** Helpers of the durable-storage tests: open a directory, and read a store's whole state. */
final class DurableFixtures {
  private DurableFixtures() {}

  static InMemoryVectorStore open(Path dir) {
    return open(dir, FsyncPolicy.ALWAYS, EmbeddedOptions.DEFAULT_CHECKPOINT_BYTES);
  }

  static InMemoryVectorStore open(Path dir, FsyncPolicy policy, long checkpointBytes) {
    return new InMemoryVectorStore(
        EmbeddedOptions.builder()
            .storageDirectory(dir)
            .fsyncPolicy(policy)
            .checkpointBytes(checkpointBytes)
            .build());
  }

  /**
   * Everything a reader can see: each collection's configuration, payload indexes and points (ids,
   * payloads, vectors; named and sparse vectors of the collections in {@code multi}), and the
   * aliases.
   */
  static Map<String, Object> state(InMemoryVectorStore store, Set<String> multi) {
    Map<String, Object> out = new LinkedHashMap<>();
    MultiVectors mv = store.extension(MultiVectors.class).orElseThrow();
    for (String c : store.listCollections()) {
      out.put(c + "#config", store.collectionInfo(c).config());
      out.put(c + "#indexes", store.payloadIndexes(c));
      List<RetrievedPoint> points = scrollAll(store, c, !multi.contains(c));
      out.put(c + "#points", points);
      if (multi.contains(c)) {
        List<PointId> ids = new ArrayList<>();
        points.forEach(p -> ids.add(p.id()));
        out.put(c + "#vectors", Futures.join(mv.retrieve(c, ids, PayloadSelector.ALL, true)));
        out.put(c + "#spaces", Futures.join(mv.vectorsConfig(c)));
      }
    }
    out.put(
        "#aliases",
        Futures.join(store.extension(CollectionAliases.class).orElseThrow().listAliases()));
    return out;
  }

  static List<RetrievedPoint> scrollAll(InMemoryVectorStore store, String c, boolean vectors) {
    List<RetrievedPoint> out = new ArrayList<>();
    ScrollRequest page = new ScrollRequest(null, 500, null, PayloadSelector.ALL, vectors);
    while (true) {
      ScrollPage p = store.scroll(c, page);
      out.addAll(p.points());
      if (p.nextOffset() == null) {
        return out;
      }
      page = page.withOffset(p.nextOffset());
    }
  }

  /** The names in {@code dir} that start with {@code prefix}, sorted. */
  static List<String> files(Path dir, String prefix) throws IOException {
    try (Stream<Path> all = Files.list(dir)) {
      return all.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(prefix))
          .sorted()
          .toList();
    }
  }
}
