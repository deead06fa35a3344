package dev.vectorcache.core;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.CollectionAlreadyExistsException;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.port.AsyncVectorStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a migration's {@link MigrationState} durable in the vector store itself: one point (id 1)
 * of a one-dimensional collection {@code <name>__migration}, its payload holding the state. The
 * vector store is the source of truth, so the state lives with the collections it describes.
 */
final class MigrationStateStore {
  /** Suffix of the state collection's name. */
  static final String SUFFIX = "__migration";

  private static final PointId STATE_ID = PointId.of(1L);
  private static final float[] UNIT = {1f};

  private final AsyncVectorStore vectors;
  private final String name;

  MigrationStateStore(AsyncVectorStore vectors, String collection) {
    this.vectors = vectors;
    this.name = collection + SUFFIX;
  }

  /** The recorded state, or {@code null} when no migration is unfinished. */
  @Nullable MigrationState read() {
    if (!Futures.join(vectors.collectionExists(name))) {
      return null;
    }
    List<RetrievedPoint> found =
        Futures.join(vectors.retrieve(name, List.of(STATE_ID), PayloadSelector.ALL, false));
    return found.isEmpty() ? null : decode(found.get(0).payload());
  }

  /** Records {@code state}, creating the state collection first when needed. */
  void write(MigrationState state) {
    if (!Futures.join(vectors.collectionExists(name))) {
      try {
        Futures.join(
            vectors.createCollection(name, CollectionConfig.builder(1, Distance.DOT).build()));
      } catch (CollectionAlreadyExistsException e) {
        // created by a racing writer: write into it
      }
    }
    Futures.join(vectors.upsert(name, List.of(new PointStruct(STATE_ID, UNIT, encode(state)))));
  }

  /** Drops the state collection: the migration is done. */
  void delete() {
    Futures.join(vectors.deleteCollection(name));
  }

  private static Map<String, Object> encode(MigrationState s) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("model_id", s.modelId());
    p.put("dimension", (long) s.dimension());
    p.put("distance", s.distance().name());
    p.put("source", s.source());
    p.put("target", s.target());
    p.put("phase", s.phase().name());
    p.put("started_version", s.startedVersion());
    PointId checkpoint = s.checkpoint();
    if (checkpoint != null) {
      p.put("checkpoint", checkpoint.toString());
    }
    p.put("copied", s.copied());
    p.put("skipped_as_newer", s.skippedAsNewer());
    p.put("failed", s.failed());
    p.put("expired", s.expired());
    return p;
  }

  private static MigrationState decode(Map<String, Object> p) {
    Object checkpoint = p.get("checkpoint");
    return new MigrationState(
        text(p, "model_id"),
        (int) number(p, "dimension"),
        Distance.valueOf(text(p, "distance")),
        text(p, "source"),
        text(p, "target"),
        MigrationState.Phase.valueOf(text(p, "phase")),
        number(p, "started_version"),
        checkpoint instanceof String c ? PointId.parse(c) : null,
        number(p, "copied"),
        number(p, "skipped_as_newer"),
        number(p, "failed"),
        number(p, "expired"));
  }

  private static String text(Map<String, Object> p, String field) {
    if (p.get(field) instanceof String s) {
      return s;
    }
    throw new IllegalStateException("migration state record has no text field " + field + ": " + p);
  }

  private static long number(Map<String, Object> p, String field) {
    if (p.get(field) instanceof Number n) {
      return n.longValue();
    }
    throw new IllegalStateException(
        "migration state record has no number field " + field + ": " + p);
  }
}
