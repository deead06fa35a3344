package dev.vectorcache.inmemory;

import dev.vectorcache.core.PointNotFoundException;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.model.CollectionStatus;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.MemoryUsage;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.PointId;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.Vectors;
import dev.vectorcache.inmemory.internal.FilterEvaluator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.UnaryOperator;

/**
 * One collection of the embedded engine. Readers share a read lock and writers take the write lock,
 * so a search sees either all or none of a batch upsert. Vectors live in a {@link VectorStorage}
 * addressed by slot; ids and payloads live in arrays indexed by the same slot, and a {@link
 * TreeMap} keeps ids in Qdrant's scroll order.
 *
 * <p>Inputs are validated by the caller before the write lock is taken, so a rejected batch leaves
 * nothing behind.
 */
final class MemCollection {
  private static final Map<String, Object> NO_PAYLOAD = Map.of();

  private final String name;
  private final CollectionConfig config;
  private final Distance distance;
  private final ScoringKernel kernel;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Lock read = lock.readLock();
  private final Lock write = lock.writeLock();

  private final VectorStorage storage;
  private final NavigableMap<PointId, Integer> slotById = new TreeMap<>();
  private PointId[] idBySlot = new PointId[16];
  private Object[] payloadBySlot = new Object[16];
  private final Map<String, PayloadSchemaType> payloadIndexes = new LinkedHashMap<>();

  MemCollection(String name, CollectionConfig config) {
    this.name = name;
    this.config = config;
    this.distance = config.distance();
    this.kernel = ScoringKernel.of(distance);
    this.storage = new HeapVectorStorage(config.dimension());
  }

  CollectionConfig config() {
    return config;
  }

  /** The vector as stored: Cosine vectors are normalised, as Qdrant does on insert. */
  float[] prepare(float[] vector, String field) {
    Vectors.check(vector, field, config.vectors());
    return distance == Distance.COSINE ? Vectors.normalizeForCosine(vector) : vector;
  }

  // ---- writes ----

  /** {@code vectors[i]} is the prepared vector of {@code points.get(i)}. */
  void upsert(List<PointStruct> points, float[][] vectors) {
    write.lock();
    try {
      for (int i = 0; i < vectors.length; i++) {
        PointStruct p = points.get(i);
        Integer slot = slotById.get(p.id());
        if (slot != null) {
          storage.set(slot, vectors[i]);
          payloadBySlot[slot] = p.payload();
        } else {
          int s = storage.add(vectors[i]);
          ensureSlotCapacity(s);
          idBySlot[s] = p.id();
          payloadBySlot[s] = p.payload();
          slotById.put(p.id(), s);
        }
      }
    } finally {
      write.unlock();
    }
  }

  private void ensureSlotCapacity(int slot) {
    if (slot >= idBySlot.length) {
      int n = Math.max(slot + 1, idBySlot.length * 2);
      idBySlot = Arrays.copyOf(idBySlot, n);
      payloadBySlot = Arrays.copyOf(payloadBySlot, n);
    }
  }

  void delete(Collection<PointId> ids) {
    write.lock();
    try {
      for (PointId id : ids) {
        removeLocked(id);
      }
    } finally {
      write.unlock();
    }
  }

  void deleteByFilter(Filter filter) {
    write.lock();
    try {
      List<PointId> doomed = new ArrayList<>();
      for (Map.Entry<PointId, Integer> e : slotById.entrySet()) {
        if (FilterEvaluator.test(filter, e.getKey(), payloadAt(e.getValue()))) {
          doomed.add(e.getKey());
        }
      }
      doomed.forEach(this::removeLocked);
    } finally {
      write.unlock();
    }
  }

  private void removeLocked(PointId id) {
    Integer slot = slotById.remove(id);
    if (slot != null) {
      idBySlot[slot] = null;
      payloadBySlot[slot] = null;
      storage.release(slot);
    }
  }

  /**
   * Replaces the payload of each point by {@code change(old)}; throws {@link
   * PointNotFoundException} before changing anything when an id is missing.
   */
  void updatePayloads(Collection<PointId> ids, UnaryOperator<Map<String, Object>> change) {
    write.lock();
    try {
      for (PointId id : ids) {
        if (!slotById.containsKey(id)) {
          throw new PointNotFoundException(name, id);
        }
      }
      for (PointId id : ids) {
        int slot = slotById.get(id);
        payloadBySlot[slot] = change.apply(payloadAt(slot));
      }
    } finally {
      write.unlock();
    }
  }

  void createPayloadIndex(String field, PayloadSchemaType type) {
    write.lock();
    try {
      payloadIndexes.put(field, type);
    } finally {
      write.unlock();
    }
  }

  // ---- reads ----

  @SuppressWarnings("unchecked")
  private Map<String, Object> payloadAt(int slot) {
    Object p = payloadBySlot[slot];
    return p == null ? NO_PAYLOAD : (Map<String, Object>) p;
  }

  List<RetrievedPoint> retrieve(
      Collection<PointId> ids, PayloadSelector selector, boolean withVectors) {
    read.lock();
    try {
      List<RetrievedPoint> out = new ArrayList<>(ids.size());
      for (PointId id : new LinkedHashSet<>(ids)) {
        Integer slot = slotById.get(id);
        if (slot != null) {
          out.add(retrievedLocked(id, slot, selector, withVectors));
        }
      }
      return out;
    } finally {
      read.unlock();
    }
  }

  private RetrievedPoint retrievedLocked(
      PointId id, int slot, PayloadSelector selector, boolean withVectors) {
    return new RetrievedPoint(
        id, select(payloadAt(slot), selector), withVectors ? storage.get(slot) : null);
  }

  List<ScoredPoint> search(SearchRequest request, float[] query) {
    read.lock();
    try {
      long wanted = (long) request.offset() + request.limit();
      int k = (int) Math.min(wanted, slotById.size());
      if (k <= request.offset() || k == 0) {
        return List.of();
      }
      Filter filter = request.filter();
      boolean filtered = filter != null && !filter.isEmpty();
      Float threshold = request.scoreThreshold();
      boolean thresholded = threshold != null;
      float t = thresholded ? threshold : 0f;
      TopK top = new TopK(k, distance.largerIsBetter(), idBySlot);
      int limit = storage.slotLimit();
      for (int slot = 0; slot < limit; slot++) {
        PointId id = idBySlot[slot];
        if (id == null) {
          continue;
        }
        if (filtered && !FilterEvaluator.test(filter, id, payloadAt(slot))) {
          continue;
        }
        float score = storage.score(kernel, query, slot);
        if (thresholded && !distance.passes(score, t)) {
          continue;
        }
        top.offer(slot, score);
      }
      int[] slots = new int[top.size()];
      float[] scores = new float[top.size()];
      int n = top.drainBestFirst(slots, scores);
      List<ScoredPoint> out = new ArrayList<>(Math.max(0, n - request.offset()));
      for (int i = request.offset(); i < n; i++) {
        int slot = slots[i];
        out.add(
            new ScoredPoint(
                idBySlot[slot],
                scores[i],
                select(payloadAt(slot), request.withPayload()),
                request.withVectors() ? storage.get(slot) : null));
      }
      return out;
    } finally {
      read.unlock();
    }
  }

  long count(Filter filter) {
    read.lock();
    try {
      if (filter == null || filter.isEmpty()) {
        return slotById.size();
      }
      long n = 0;
      for (Map.Entry<PointId, Integer> e : slotById.entrySet()) {
        if (FilterEvaluator.test(filter, e.getKey(), payloadAt(e.getValue()))) {
          n++;
        }
      }
      return n;
    } finally {
      read.unlock();
    }
  }

  /** Qdrant's paging: fetch limit+1 in id order; the extra point's id is the next offset. */
  ScrollPage scroll(ScrollRequest request) {
    read.lock();
    try {
      NavigableMap<PointId, Integer> from =
          request.offset() == null ? slotById : slotById.tailMap(request.offset(), true);
      List<RetrievedPoint> page = new ArrayList<>(Math.min(request.limit(), 1024));
      PointId next = null;
      for (Map.Entry<PointId, Integer> e : from.entrySet()) {
        if (!FilterEvaluator.test(request.filter(), e.getKey(), payloadAt(e.getValue()))) {
          continue;
        }
        if (page.size() == request.limit()) {
          next = e.getKey();
          break;
        }
        page.add(
            retrievedLocked(
                e.getKey(), e.getValue(), request.withPayload(), request.withVectors()));
      }
      return new ScrollPage(page, next);
    } finally {
      read.unlock();
    }
  }

  CollectionInfo info() {
    read.lock();
    try {
      return new CollectionInfo(
          name,
          config,
          slotById.size(),
          CollectionStatus.GREEN,
          new MemoryUsage(heapBytesLocked(), 0, 0));
    } finally {
      read.unlock();
    }
  }

  Map<String, PayloadSchemaType> payloadIndexes() {
    read.lock();
    try {
      return Map.copyOf(payloadIndexes);
    } finally {
      read.unlock();
    }
  }

  /**
   * The arrays held, plus a rough per-point charge for the id map entry and the point id object.
   * Payload maps are not walked: this is the vector engine's footprint, the figure that matters
   * when choosing a storage or quantization mode.
   */
  private long heapBytesLocked() {
    long arrays = storage.heapBytes() + 2L * (16 + 4L * idBySlot.length);
    long perPoint = 40 /* TreeMap entry */ + 32 /* PointId */ + 16 /* boxed slot */;
    return arrays + perPoint * slotById.size();
  }

  static Map<String, Object> select(Map<String, Object> payload, PayloadSelector selector) {
    if (!selector.enabled()) {
      return NO_PAYLOAD;
    }
    if (selector.include().isEmpty()) {
      return payload;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : payload.entrySet()) {
      if (selector.include().contains(e.getKey())) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return Collections.unmodifiableMap(out);
  }
}
