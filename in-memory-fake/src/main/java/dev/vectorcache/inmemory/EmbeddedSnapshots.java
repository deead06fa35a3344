package dev.vectorcache.inmemory;

import dev.vectorcache.core.exception.CollectionAlreadyExistsException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.MultiVectorConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The snapshots of an {@link InMemoryVectorStore}: which collections a snapshot file gets, each
 * read at a point in time of its own ({@link EngineSnapshots} writes them), and the restore of a
 * file into new collections, built whole before any is installed in the store's {@link
 * CollectionTable}. The store checks its arguments and its state, and makes a restore durable.
 */
final class EmbeddedSnapshots {
  private final CollectionTable table;
  private final CollectionMaker maker;

  EmbeddedSnapshots(CollectionTable table, CollectionMaker maker) {
    this.table = table;
    this.maker = maker;
  }

  /** One collection, read while it cannot change, with its attachments. */
  SnapshotDescription write(String collection, Path file, Map<String, byte[]> attachments) {
    EngineSnapshots.Source source =
        table.read(
            collection,
            List.of(),
            m -> new EngineSnapshots.Source(collection, null, m, checkAttachments(attachments)),
            c -> new EngineSnapshots.Source(collection, c, null, checkAttachments(attachments)));
    Objects.requireNonNull(file, "file");
    return EngineSnapshots.write(
        file, SnapshotDescription.Kind.COLLECTION, List.of(source), Instant.now());
  }

  /** Every collection, by name, each with the attachments {@code attachments} gives for it. */
  SnapshotDescription writeAll(Path file, Function<String, Map<String, byte[]>> attachments) {
    // by name, as listCollections; a collection made a multi-vector one meanwhile is in both maps,
    // the multi-vector one (read second) is taken
    Map<String, EngineSnapshots.Source> sources = new TreeMap<>();
    for (Map.Entry<String, MemShards> e : table.singles().entrySet()) {
      sources.put(
          e.getKey(),
          new EngineSnapshots.Source(
              e.getKey(), e.getValue(), null, checkAttachments(attachments.apply(e.getKey()))));
    }
    for (Map.Entry<String, MultiVectorCollection> e : table.multis().entrySet()) {
      sources.put(
          e.getKey(),
          new EngineSnapshots.Source(
              e.getKey(), null, e.getValue(), checkAttachments(attachments.apply(e.getKey()))));
    }
    return EngineSnapshots.write(
        file, SnapshotDescription.Kind.FULL, List.copyOf(sources.values()), Instant.now());
  }

  private static Map<String, byte[]> checkAttachments(@Nullable Map<String, byte[]> attachments) {
    Objects.requireNonNull(attachments, "attachments");
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : attachments.entrySet()) {
      if (e.getKey() == null || e.getKey().isBlank()) {
        throw new InvalidInputException("attachments", "non-blank names", e.getKey());
      }
      out.put(e.getKey(), Objects.requireNonNull(e.getValue(), "attachment " + e.getKey()));
    }
    return out;
  }

  /**
   * Reads the whole of {@code file} into new collections and installs them together; a refused file
   * closes what was built and leaves the table as it was.
   */
  RestoredSnapshot restore(Path file, @Nullable String collectionName, boolean replaceExisting) {
    try (EngineSnapshots.Reader reader = EngineSnapshots.open(file)) {
      if (collectionName != null && reader.kind() != SnapshotDescription.Kind.COLLECTION) {
        throw new InvalidInputException(
            "collectionName",
            "no new name for a full snapshot (its collections keep their names)",
            collectionName);
      }
      Map<String, EngineSnapshots.CollectionEntry> byName = new LinkedHashMap<>();
      for (EngineSnapshots.CollectionEntry c : reader.collections()) {
        byName.put(collectionName != null ? collectionName : c.name(), c);
      }
      if (!replaceExisting) {
        for (String n : byName.keySet()) {
          if (table.holds(n)) {
            throw new CollectionAlreadyExistsException(n, null);
          }
        }
      }
      Map<String, MemShards> built = new LinkedHashMap<>();
      Map<String, MultiVectorCollection> builtMulti = new LinkedHashMap<>();
      Map<String, Map<String, byte[]>> attachments = new LinkedHashMap<>();
      boolean installed = false;
      try {
        for (Map.Entry<String, EngineSnapshots.CollectionEntry> e : byName.entrySet()) {
          EngineSnapshots.CollectionEntry c = e.getValue();
          MultiVectorConfig vectors = c.vectorsConfig();
          if (vectors != null) {
            MultiVectorCollection m =
                MultiVectorCollection.create(e.getKey(), vectors, maker.spaces(e.getKey()));
            builtMulti.put(e.getKey(), m);
            c.payloadIndexes().forEach(m::createPayloadIndex);
            reader.loadPoints(c, m);
          } else {
            MemShards shards = maker.shards(e.getKey(), c.singleConfig());
            built.put(e.getKey(), shards);
            c.payloadIndexes().forEach(shards::createPayloadIndex);
            reader.loadPoints(c, shards);
          }
          attachments.put(e.getKey(), reader.attachments(c));
        }
        table.install(built, builtMulti, replaceExisting);
        installed = true;
      } finally {
        if (!installed) {
          built.values().forEach(MemShards::close);
          builtMulti.values().forEach(MultiVectorCollection::close);
        }
      }
      return new RestoredSnapshot(
          reader.kind(), reader.createdAt(), List.copyOf(byName.keySet()), attachments);
    }
  }
}
