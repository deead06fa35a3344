package dev.vectorcache.inmemory;

import dev.vectorcache.core.BackendUnavailableException;
import dev.vectorcache.core.CollectionAlreadyExistsException;
import dev.vectorcache.core.CollectionNotFoundException;
import dev.vectorcache.core.InvalidInputException;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.internal.InlineAsyncVectorStore;
import dev.vectorcache.core.model.BackendInfo;
import dev.vectorcache.core.model.Capability;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.Payloads;
import dev.vectorcache.core.model.PointId;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.VectorStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * An in-process {@link VectorStore} that answers exactly as a Qdrant server would, by exact
 * (brute-force) search: the embedded default behind a {@code memory:} URL, and the fake to test
 * against without servers.
 *
 * <p>Fidelity to Qdrant: Cosine vectors are normalised on insert and at query time (a retrieved
 * Cosine vector is the normalised one); Euclid and Manhattan return distances, smaller first; score
 * thresholds are strict; filters follow the server's type-strict rules; scroll pages in id order
 * (numeric ids before UUIDs). Quantization and storage settings are accepted and echoed back by
 * {@link #collectionInfo} but searches are always exact: {@link #isSupported} says so.
 *
 * <p>Thread-safe: each collection has a read-write lock; a batch upsert is applied atomically. The
 * async form runs each call on the caller's thread (there is no I/O to wait for).
 *
 * <pre>{@code
 * try (VectorStore store = new InMemoryVectorStore()) {
 *   store.createCollection("docs", CollectionConfig.builder(384, Distance.COSINE).build());
 *   ...
 * }
 * }</pre>
 */
public final class InMemoryVectorStore implements VectorStore {
  /** Characters Qdrant refuses in a collection name (it becomes a directory name). */
  private static final String ILLEGAL = "<>:\"/\\|?*";

  private final String name;
  private final boolean shared;
  private final ConcurrentSkipListMap<String, MemCollection> collections =
      new ConcurrentSkipListMap<>();
  private final InlineAsyncVectorStore async = new InlineAsyncVectorStore(this);
  private volatile boolean closed;

  /** A new, private, empty store. */
  public InMemoryVectorStore() {
    this("", false);
  }

  private InMemoryVectorStore(String name, boolean shared) {
    this.name = name;
    this.shared = shared;
  }

  /** A store shared under {@code name}: its {@link #close()} does nothing. */
  static InMemoryVectorStore shared(String name) {
    return new InMemoryVectorStore(name, true);
  }

  // ---- collections ----

  @Override
  public void createCollection(String name, CollectionConfig config) {
    checkName(name);
    Objects.requireNonNull(config, "config");
    checkOpen();
    if (collections.putIfAbsent(name, new MemCollection(name, config)) != null) {
      throw new CollectionAlreadyExistsException(name, null);
    }
  }

  @Override
  public boolean collectionExists(String name) {
    checkName(name);
    checkOpen();
    return collections.containsKey(name);
  }

  @Override
  public CollectionInfo collectionInfo(String name) {
    return collection(name).info();
  }

  @Override
  public boolean deleteCollection(String name) {
    checkName(name);
    checkOpen();
    return collections.remove(name) != null;
  }

  @Override
  public List<String> listCollections() {
    checkOpen();
    return List.copyOf(collections.keySet());
  }

  /** Payload indexes created on a collection (they change nothing else here). */
  public Map<String, PayloadSchemaType> payloadIndexes(String collection) {
    return collection(collection).payloadIndexes();
  }

  // ---- points ----

  @Override
  public void upsert(String collection, List<PointStruct> points) {
    MemCollection c = collection(collection);
    Objects.requireNonNull(points, "points");
    float[][] vectors = new float[points.size()][];
    for (int i = 0; i < vectors.length; i++) {
      PointStruct p = points.get(i);
      if (p == null) {
        throw new InvalidInputException("points[" + i + "]", "a point", null);
      }
      vectors[i] = c.prepare(p.vector(), "points[" + i + "].vector");
    }
    c.upsert(points, vectors);
  }

  @Override
  public List<RetrievedPoint> retrieve(
      String collection,
      Collection<PointId> ids,
      PayloadSelector withPayload,
      boolean withVectors) {
    MemCollection c = collection(collection);
    return c.retrieve(
        checkIds(ids), withPayload == null ? PayloadSelector.ALL : withPayload, withVectors);
  }

  @Override
  public void delete(String collection, Collection<PointId> ids) {
    MemCollection c = collection(collection);
    c.delete(checkIds(ids));
  }

  @Override
  public void deleteByFilter(String collection, Filter filter) {
    MemCollection c = collection(collection);
    Objects.requireNonNull(filter, "filter");
    c.deleteByFilter(filter);
  }

  @Override
  public List<ScoredPoint> search(String collection, SearchRequest request) {
    MemCollection c = collection(collection);
    Objects.requireNonNull(request, "request");
    return c.search(request, c.prepare(request.vector(), "query"));
  }

  @Override
  public long count(String collection, Filter filter) {
    return collection(collection).count(filter);
  }

  @Override
  public ScrollPage scroll(String collection, ScrollRequest request) {
    MemCollection c = collection(collection);
    Objects.requireNonNull(request, "request");
    return c.scroll(request);
  }

  @Override
  public void setPayload(String collection, Collection<PointId> ids, Map<String, ?> payload) {
    MemCollection c = collection(collection);
    List<PointId> checked = checkIds(ids);
    Map<String, Object> add = Payloads.copy(requirePayload(payload), "payload");
    c.updatePayloads(
        checked,
        old -> {
          Map<String, Object> merged = new LinkedHashMap<>(old);
          merged.putAll(add);
          return Collections.unmodifiableMap(merged);
        });
  }

  @Override
  public void overwritePayload(String collection, Collection<PointId> ids, Map<String, ?> payload) {
    MemCollection c = collection(collection);
    List<PointId> checked = checkIds(ids);
    Map<String, Object> replacement = Payloads.copy(requirePayload(payload), "payload");
    c.updatePayloads(checked, old -> replacement);
  }

  @Override
  public void deletePayloadKeys(
      String collection, Collection<PointId> ids, Collection<String> keys) {
    MemCollection c = collection(collection);
    List<PointId> checked = checkIds(ids);
    Objects.requireNonNull(keys, "keys");
    List<String[]> paths = new ArrayList<>();
    for (String k : keys) {
      if (k == null || k.isBlank()) {
        throw new InvalidInputException("keys", "non-blank payload keys", k);
      }
      paths.add(k.split("\\.", -1));
    }
    c.updatePayloads(
        checked,
        old -> {
          Map<String, Object> p = old;
          for (String[] path : paths) {
            p = without(p, path, 0);
          }
          return p;
        });
  }

  /** A copy of {@code map} without the value at {@code path} (into objects only). */
  private static Map<String, Object> without(Map<String, Object> map, String[] path, int i) {
    String key = path[i];
    if (!map.containsKey(key)) {
      return map;
    }
    Map<String, Object> copy = new LinkedHashMap<>(map);
    if (i == path.length - 1) {
      copy.remove(key);
    } else if (map.get(key) instanceof Map<?, ?> child) {
      @SuppressWarnings("unchecked")
      Map<String, Object> c = (Map<String, Object>) child;
      copy.put(key, without(c, path, i + 1));
    } else {
      return map;
    }
    return Collections.unmodifiableMap(copy);
  }

  @Override
  public void clearPayload(String collection, Collection<PointId> ids) {
    MemCollection c = collection(collection);
    c.updatePayloads(checkIds(ids), old -> Map.of());
  }

  @Override
  public void createPayloadIndex(String collection, String field, PayloadSchemaType type) {
    MemCollection c = collection(collection);
    if (field == null || field.isBlank()) {
      throw new InvalidInputException("field", "a non-blank payload key path", field);
    }
    Objects.requireNonNull(type, "type");
    c.createPayloadIndex(field, type);
  }

  // ---- store ----

  @Override
  public BackendInfo ping() {
    long start = System.nanoTime();
    checkOpen();
    Map<String, String> details = new LinkedHashMap<>();
    details.put("collections", Integer.toString(collections.size()));
    details.put("search", "exact");
    if (shared) {
      details.put("name", name);
    }
    return new BackendInfo(
        "memory", "in-memory", "embedded", Duration.ofNanos(System.nanoTime() - start), details);
  }

  @Override
  public boolean isSupported(Capability capability) {
    return capability == Capability.MEMORY_USAGE_REPORT;
  }

  @Override
  public AsyncVectorStore async() {
    return async;
  }

  /**
   * Drops every collection of a private store; later calls fail. A store shared by name ({@code
   * memory:NAME}) lives as long as the JVM, so closing one handle to it does nothing.
   */
  @Override
  public void close() {
    if (!shared) {
      closed = true;
      collections.clear();
    }
  }

  @Override
  public String toString() {
    return "InMemoryVectorStore["
        + (shared ? "name=" + name + ", " : "")
        + collections.keySet()
        + "]";
  }

  // ---- checks ----

  private MemCollection collection(String name) {
    checkName(name);
    checkOpen();
    MemCollection c = collections.get(name);
    if (c == null) {
      throw new CollectionNotFoundException(name);
    }
    return c;
  }

  private void checkOpen() {
    if (closed) {
      throw new BackendUnavailableException(
          "memory", "this in-memory vector store is closed", null);
    }
  }

  private static Map<String, ?> requirePayload(Map<String, ?> payload) {
    if (payload == null) {
      throw new InvalidInputException("payload", "a map of JSON values", null);
    }
    return payload;
  }

  private static List<PointId> checkIds(Collection<PointId> ids) {
    if (ids == null) {
      throw new InvalidInputException("ids", "a collection of point ids", null);
    }
    List<PointId> out = new ArrayList<>(ids.size());
    int i = 0;
    for (PointId id : ids) {
      if (id == null) {
        throw new InvalidInputException("ids[" + i + "]", "a point id", null);
      }
      out.add(id);
      i++;
    }
    return out;
  }

  /** Qdrant's rule: 1 to 255 characters, none of {@code <>:"/\|?*}, NUL or control characters. */
  static void checkName(String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidInputException(
          "collection name", "a non-blank name of 1 to 255 characters", name);
    }
    if (name.length() > 255) {
      throw new InvalidInputException(
          "collection name",
          "at most 255 characters",
          name.length() + " characters",
          "use a shorter name");
    }
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (ILLEGAL.indexOf(ch) >= 0 || Character.isISOControl(ch)) {
        throw new InvalidInputException(
            "collection name",
            "no characters among <>:\"/\\|?* and no control characters",
            name,
            "character at index " + i + " is not allowed; use letters, digits, '-', '_' or '.'");
      }
    }
  }
}
