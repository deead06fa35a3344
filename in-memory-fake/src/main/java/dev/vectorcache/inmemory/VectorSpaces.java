package dev.vectorcache.inmemory;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.DenseVectorConfig;
import dev.vectorcache.core.model.MultiVectorConfig;
import dev.vectorcache.core.model.MultiVectorPoint;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.SparseVector;
import dev.vectorcache.core.model.SparseVectorParams;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The vector spaces of a {@link MultiVectorCollection} and its {@link MultiVectorConfig}: a {@link
 * MemCollection} per dense vector name and a {@link SparseSpace} per sparse name. Adds and drops
 * names, finds a space by name (an unknown name is an {@link InvalidInputException} naming the
 * collection's vectors) and checks points against the spaces.
 *
 * <p>Not thread-safe: the collection's lock guards it.
 */
final class VectorSpaces {
  /** Makes the dense space of one vector name. */
  interface SpaceFactory {
    /**
     * The space of {@code vectorName}; with {@code config.onDiskPayload()}, a space that reads its
     * payloads from {@code sharedPayloads} (the collection's {@link PointRegistry}) by id.
     */
    MemCollection create(
        String vectorName,
        CollectionConfig config,
        Function<PointId, Map<String, Object>> sharedPayloads);

    /**
     * The store of the collection's own registry of points: mapped when {@code onDisk}. The default
     * keeps payloads on the heap and refuses {@code onDisk} (a factory without files).
     */
    default PayloadStore registryPayloads(boolean onDisk) {
      if (onDisk) {
        throw new UnsupportedOperationException("this space factory keeps no files");
      }
      return new HeapPayloadStore();
    }
  }

  /** A point checked against the spaces: dense vectors as stored (Cosine normalised). */
  record Prepared(
      PointId id,
      Map<String, float[]> dense,
      Map<String, SparseVector> sparse,
      Map<String, Object> payload) {}

  private final String collection;
  private final SpaceFactory factory;
  private final Function<PointId, Map<String, Object>> sharedPayloads;
  private MultiVectorConfig config;
  private final Map<String, MemCollection> dense = new LinkedHashMap<>();
  private final Map<String, SparseSpace> sparse = new LinkedHashMap<>();

  /** No spaces yet, {@code config} as the configuration: the caller adds the spaces it names. */
  private VectorSpaces(
      String collection,
      MultiVectorConfig config,
      SpaceFactory factory,
      Function<PointId, Map<String, Object>> sharedPayloads) {
    this.collection = collection;
    this.config = config;
    this.factory = factory;
    this.sharedPayloads = sharedPayloads;
  }

  /** The spaces of {@code config}, each new and empty; none are left open when one fails. */
  static VectorSpaces create(
      String collection,
      MultiVectorConfig config,
      SpaceFactory factory,
      Function<PointId, Map<String, Object>> sharedPayloads) {
    VectorSpaces s = new VectorSpaces(collection, config, factory, sharedPayloads);
    try {
      config
          .dense()
          .forEach((n, d) -> s.dense.put(n, factory.create(n, s.spaceConfig(d), sharedPayloads)));
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    config.sparse().forEach((n, p) -> s.sparse.put(n, new SparseSpace(p)));
    return s;
  }

  /** The one dense space {@code ""}: {@code single}, the collection of a single vector. */
  static VectorSpaces of(
      String collection,
      MemCollection single,
      SpaceFactory factory,
      Function<PointId, Map<String, Object>> sharedPayloads) {
    VectorSpaces s =
        new VectorSpaces(
            collection, MultiVectorConfig.from(single.config()), factory, sharedPayloads);
    s.dense.put("", single);
    return s;
  }

  private CollectionConfig spaceConfig(DenseVectorConfig d) {
    return d.toCollectionConfig(config.onDiskPayload(), config.optimizers());
  }

  MultiVectorConfig config() {
    return config;
  }

  /** The dense spaces by name, in the order they were made. */
  Map<String, MemCollection> dense() {
    return Collections.unmodifiableMap(dense);
  }

  /** The sparse spaces by name, in the order they were made. */
  Map<String, SparseSpace> sparse() {
    return Collections.unmodifiableMap(sparse);
  }

  // ---- names ----

  /** A new dense space with the payload indexes {@code indexes}. */
  void createDense(
      String vectorName, DenseVectorConfig vectorConfig, Map<String, PayloadSchemaType> indexes) {
    requireNew(vectorName);
    MultiVectorConfig next = config.withDense(vectorName, vectorConfig);
    MemCollection space = factory.create(vectorName, spaceConfig(vectorConfig), sharedPayloads);
    indexes.forEach(space::createPayloadIndex);
    dense.put(vectorName, space);
    config = next;
  }

  void createSparse(String vectorName, SparseVectorParams params) {
    requireNew(vectorName);
    MultiVectorConfig next = config.withSparse(vectorName, params);
    sparse.put(vectorName, new SparseSpace(params));
    config = next;
  }

  private void requireNew(String vectorName) {
    if (config.hasVector(vectorName)) {
      throw new InvalidInputException(
          "name",
          "a vector name collection " + collection + " does not have yet " + names(),
          vectorName);
    }
  }

  /** Drops a space and its vectors (a dense space's files too). */
  void delete(String vectorName) {
    if (!config.hasVector(vectorName)) {
      throw unknown("name", vectorName);
    }
    MemCollection space = dense.remove(vectorName);
    if (space != null) {
      space.close();
    }
    sparse.remove(vectorName);
    config = config.without(vectorName);
  }

  boolean has(String vectorName) {
    return config.hasVector(vectorName);
  }

  /** Every vector name, dense first. */
  List<String> names() {
    List<String> out = new ArrayList<>(config.dense().keySet());
    out.addAll(config.sparse().keySet());
    return out;
  }

  InvalidInputException unknown(String field, String vectorName) {
    return new InvalidInputException(
        field, "a vector name of collection " + collection + ": " + names(), vectorName);
  }

  // ---- lookup ----

  MemCollection denseSpace(String vectorName, String field) {
    config.denseSpace(collection, vectorName, field); // throws naming the dense spaces
    return Objects.requireNonNull(dense.get(vectorName), vectorName);
  }

  SparseSpace sparseSpace(String vectorName, String field) {
    config.sparseSpace(collection, vectorName, field);
    return Objects.requireNonNull(sparse.get(vectorName), vectorName);
  }

  /** The space of the unnamed vector, which the port's upsert, search and vectors read. */
  MemCollection unnamed(String field) {
    MemCollection space = dense.get("");
    if (space == null) {
      throw new InvalidInputException(
          field,
          "a collection with the unnamed vector \"\"",
          "collection " + collection + " with the vectors " + names(),
          "use MultiVectors (extension(MultiVectors.class)) with a vector name");
    }
    return space;
  }

  /** Checks every point before anything is written. */
  List<Prepared> prepare(@Nullable List<MultiVectorPoint> batch) {
    if (batch == null) {
      throw new InvalidInputException("points", "a list of points", null);
    }
    List<Prepared> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      MultiVectorPoint p = batch.get(i);
      String at = "points[" + i + "]";
      if (p == null) {
        throw new InvalidInputException(at, "a point", null);
      }
      Map<String, float[]> d = new LinkedHashMap<>();
      for (Map.Entry<String, float[]> e : p.dense().entrySet()) {
        String field = at + ".dense[" + e.getKey() + "]";
        MemCollection space = dense.get(e.getKey());
        if (space == null) {
          throw unknown(field, e.getKey());
        }
        d.put(e.getKey(), space.prepare(e.getValue(), field));
      }
      for (String s : p.sparse().keySet()) {
        if (!sparse.containsKey(s)) {
          throw unknown(at + ".sparse[" + s + "]", s);
        }
      }
      out.add(new Prepared(p.id(), d, p.sparse(), p.payload()));
    }
    return out;
  }

  /** Deletes the dense spaces' files and drops every space. */
  void close() {
    dense.values().forEach(MemCollection::close);
    dense.clear();
    sparse.clear();
  }
}
