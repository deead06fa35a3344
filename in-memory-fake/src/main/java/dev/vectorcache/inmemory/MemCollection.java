package dev.vectorcache.inmemory;

import dev.vectorcache.core.EntryPayload;
import dev.vectorcache.core.exception.PointNotFoundException;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.CollectionInfo;
import dev.vectorcache.core.model.CollectionStatus;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.IndexType;
import dev.vectorcache.core.model.MemoryUsage;
import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.Payloads;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.QuantizationConfig;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.model.StorageMode;
import dev.vectorcache.core.model.Vectors;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * One collection of the embedded engine. Readers share a read lock and writers take the write lock,
 * so a search sees either all or none of a batch upsert. Vectors live in a {@link VectorStorage}
 * addressed by slot; ids live in an array indexed by the same slot, payloads in a {@link
 * PayloadStore} addressed by it (on the heap, or in a memory-mapped file with {@code
 * on_disk_payload}), and an {@link IdSlotMap} finds a slot by id and keeps ids in Qdrant's scroll
 * order. An {@code IN_MEMORY} collection moves its vectors to a mapped file once they reach {@code
 * memmap_threshold}.
 *
 * <p>Storage: {@link StorageMode#IN_MEMORY} packs the originals in one {@code float[]}; {@link
 * StorageMode#MMAP} and {@link StorageMode#ON_DISK} keep them in a memory-mapped file. A {@link
 * QuantizationConfig} adds a {@link QuantizedIndex} (int8, product or binary codes, on the heap
 * when {@code alwaysRam} or when the originals are in memory, else mapped too): searches scan the
 * codes, then rescore the best {@code limit × oversampling} candidates with the originals, unless
 * the search asks for {@code exact} or {@code ignoreQuantization} (scan the originals) or {@code
 * rescore=false} (return the approximate scores).
 *
 * <p>Index: an {@link HnswIndex} (unless {@link IndexType#FLAT} or {@code m = 0}) is built once the
 * collection reaches the full-scan threshold; searches then traverse it or scan exactly as {@link
 * MemSearch} plans. A write stores its points under the write lock, then links them into the graph
 * without the collection lock (searches meanwhile scan the not-yet-linked points exactly). A
 * deleted or replaced point leaves at once (its slot loses its id), but a slot in the graph is
 * freed only after a repair has taken it out of every neighbour list. Payload indexes are {@link
 * PayloadColumns}.
 *
 * <p>Inputs are validated by the caller before the write lock is taken, so a rejected batch leaves
 * nothing behind.
 */
final class MemCollection {
  private static final Map<String, Object> NO_PAYLOAD = Map.of();

  /** The cache's own payload fields: columns from the start when payloads are on disk. */
  private static final List<String> BOOKKEEPING =
      List.of(EntryPayload.KEY, EntryPayload.EXPIRES_AT, EntryPayload.VERSION);

  /** Seeds the graph's level draws: the same points in the same order build the same graph. */
  static final long LEVEL_SEED = 0x5EED_1DEAL;

  private final String name;
  private final CollectionConfig config;
  private final Distance distance;
  private final Metric metric;
  private final Kernels kernels;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Lock read = lock.readLock();
  private final Lock write = lock.writeLock();

  // replaced once, by the mapped copy, when an IN_MEMORY collection crosses memmap_threshold
  private volatile VectorStorage storage;
  private final Supplier<Path> fileDir;
  private final String base;
  private final long memmapThresholdBytes; // 0: never
  private final @Nullable QuantizedIndex quantized; // null without quantization
  private int slotLimit;
  private int[] free = new int[8];
  private int freeCount;
  private PointId[] idBySlot = new PointId[16];
  private final IdSlotMap slotById = new IdSlotMap(s -> this.idBySlot[s]);
  private final PayloadStore payloads;
  private final Map<String, PayloadSchemaType> payloadIndexes = new LinkedHashMap<>();
  private final PayloadColumns columns = new PayloadColumns();
  private final @Nullable HnswIndex index; // null for FLAT or m = 0
  private final MemSearch.Counters outcomes = new MemSearch.Counters();
  // payloads a compiled filter read because no payload index (or no column value) could answer
  private final LongAdder filterPayloadReads = new LongAdder();

  /**
   * {@code fileDir} gives the directory for memory-mapped files; it is asked only when the config
   * needs one.
   */
  MemCollection(String name, CollectionConfig config, Supplier<Path> fileDir, Kernels kernels) {
    this(name, config, fileDir, kernels, config.onDiskPayload());
  }

  /**
   * As above, with payloads on disk only when {@code payloadsOnDisk} (a dense space of a
   * multi-vector collection with payloads in RAM keeps them on the heap, the same map objects as
   * the collection's). With payloads on disk, the cache's bookkeeping fields ({@link
   * EntryPayload#KEY}, {@link EntryPayload#EXPIRES_AT}, {@link EntryPayload#VERSION}) are kept in
   * memory as columns from the start, like indexed fields.
   */
  MemCollection(
      String name,
      CollectionConfig config,
      Supplier<Path> fileDir,
      Kernels kernels,
      boolean payloadsOnDisk) {
    this(name, config, fileDir, kernels, payloadsOnDisk, null);
  }

  /**
   * A dense space of a multi-vector collection with payloads on disk: it stores no payload itself
   * but reads each one from {@code sharedPayloads} (the collection's {@link PointRegistry}, which
   * stores it once in a mapped file) by id. Like a collection with payloads on disk, it keeps its
   * indexed fields and the cache's bookkeeping fields in memory as columns, fed by the payloads its
   * writes carry; the owner stores a payload in the registry before a read of this space may need
   * it.
   */
  MemCollection(
      String name,
      CollectionConfig config,
      Supplier<Path> fileDir,
      Kernels kernels,
      Function<PointId, Map<String, Object>> sharedPayloads) {
    this(name, config, fileDir, kernels, true, sharedPayloads);
  }

  private MemCollection(
      String name,
      CollectionConfig config,
      Supplier<Path> fileDir,
      Kernels kernels,
      boolean payloadsOnDisk,
      @Nullable Function<PointId, Map<String, Object>> sharedPayloads) {
    this.name = name;
    this.config = config;
    this.distance = config.distance();
    this.metric = Metric.of(distance);
    this.kernels = kernels;
    this.fileDir = fileDir;
    this.base = CollectionParts.fileBase(name);
    this.memmapThresholdBytes = CollectionParts.memmapThresholdBytes(config);
    Path dir = config.storageMode() != StorageMode.IN_MEMORY ? fileDir.get() : null;
    this.storage = CollectionParts.storage(config, dir, base);
    try {
      this.quantized = CollectionParts.quantized(config, dir, base, kernels, storage);
    } catch (RuntimeException e) {
      storage.close();
      throw e;
    }
    QuantizedIndex q = quantized;
    try {
      this.payloads =
          sharedPayloads != null
              ? new SharedPayloads(s -> this.idBySlot[s], sharedPayloads)
              : CollectionParts.payloads(payloadsOnDisk, fileDir, base);
    } catch (RuntimeException e) {
      storage.close();
      if (q != null) {
        q.close();
      }
      throw e;
    }
    payloads.ensureCapacity(idBySlot.length);
    if (payloadsOnDisk) {
      columns.ensureCapacity(idBySlot.length);
      for (String key : BOOKKEEPING) {
        columns.add(key, payloads::get, idBySlot, 0);
      }
    }
    this.index = CollectionParts.index(config, fileDir, base, LEVEL_SEED);
  }

  /** Deletes the backing files (if any) and drops the vectors. */
  void close() {
    if (index != null) {
      index.close(); // waits for a running link, before the write lock (lock order)
    }
    write.lock();
    try {
      storage.close();
      if (quantized != null) {
        quantized.close();
      }
      payloads.close();
    } finally {
      write.unlock();
    }
  }

  /** The quantized index, for tests. */
  @Nullable QuantizedIndex quantizedIndex() {
    return quantized;
  }

  /** The HNSW index, for tests; null for FLAT or m = 0. */
  @Nullable HnswIndex hnswIndex() {
    return index;
  }

  /** How many searches ended with {@code outcome}, for tests. */
  long searches(MemSearch.Outcome outcome) {
    return outcomes.get(outcome);
  }

  /**
   * How many times a filter read a point's payload, for tests: conditions on an indexed field read
   * the field's column instead, unless the point holds a value the column cannot (a list, say).
   */
  long filterPayloadReads() {
    return filterPayloadReads.sum();
  }

  /** Slots handed out so far (live, free or awaiting repair), for tests. */
  int slotLimit() {
    read.lock();
    try {
      return slotLimit;
    } finally {
      read.unlock();
    }
  }

  /** The id of the live point in {@code slot}, or null, for tests. */
  @Nullable PointId idAt(int slot) {
    read.lock();
    try {
      return slot < slotLimit ? idBySlot[slot] : null;
    } finally {
      read.unlock();
    }
  }

  /** The original vectors' storage, for tests. */
  VectorStorage storage() {
    return storage;
  }

  CollectionConfig config() {
    return config;
  }

  /**
   * The vector as stored: Cosine vectors are normalised, as Qdrant does on insert. The caller owns
   * {@code vector} (a copy from the point or the request), so it is normalised in place.
   */
  float[] prepare(float[] vector, String field) {
    Vectors.check(vector, field, config.vectors());
    return distance == Distance.COSINE ? Vectors.normalizeForCosineInPlace(vector) : vector;
  }

  // ---- writes ----

  /** {@code vectors[i]} is the prepared vector of {@code points.get(i)}. */
  void upsert(List<PointStruct> points, float[][] vectors) {
    HnswIndex.Batch batch = null;
    int[] repair = null;
    write.lock();
    try {
      int[] added = new int[vectors.length];
      int n = 0;
      for (int i = 0; i < vectors.length; i++) {
        PointStruct p = points.get(i);
        Integer slot = slotById.get(p.id());
        if (slot != null && index != null && index.retire(slot)) {
          // in the graph: the old point becomes a tombstone and the new one takes a new slot
          forgetLocked(p.id(), slot);
          slot = null;
        }
        if (slot != null) {
          storage.set(slot, vectors[i]);
          if (quantized != null) {
            quantized.put(slot, vectors[i]);
          }
          payloads.set(slot, p.payload());
          columns.set(slot, p.payload());
        } else {
          int s = allocateSlot();
          storage.set(s, vectors[i]);
          if (quantized != null) {
            quantized.put(s, vectors[i]);
          }
          idBySlot[s] = p.id();
          payloads.set(s, p.payload());
          columns.set(s, p.payload());
          slotById.put(p.id(), s);
          added[n++] = s;
        }
      }
      mapPastThresholdLocked();
      if (quantized != null) {
        quantized.afterWrites(storage, idBySlot, slotLimit, slotById.size());
      }
      if (index != null) {
        PointId[] ids = idBySlot;
        batch = index.commit(added, n, slotById.size(), slotLimit, s -> ids[s] != null);
        repair = index.scheduleRepair();
      }
    } finally {
      write.unlock();
    }
    indexAfterWrite(batch != null, repair);
  }

  /**
   * Links what the write left pending and runs a scheduled repair, without the collection lock;
   * then frees the repaired tombstones under the write lock.
   */
  private void indexAfterWrite(boolean link, int @Nullable [] repair) {
    HnswIndex ix = index;
    if (ix == null || (!link && repair == null)) {
      return;
    }
    try {
      ix.link(vectorSource(), repair);
    } finally {
      if (repair != null) {
        write.lock();
        try {
          if (!ix.isClosed()) { // a dropped collection has nothing left to free
            ix.release(repair);
            for (int s : repair) {
              freeSlotLocked(s);
            }
          }
        } finally {
          write.unlock();
        }
      }
    }
  }

  /** Distances between stored vectors (the originals), for linking and repairing the graph. */
  private NodeDistance.Source vectorSource() {
    Kernels k = kernels;
    Metric m = metric;
    boolean larger = distance.largerIsBetter();
    return node -> {
      // read per node: a link runs without the lock and the storage may be mapped meanwhile
      VectorStorage st = storage;
      float[] v = st.get(node);
      return larger ? other -> -st.score(k, m, v, other) : other -> st.score(k, m, v, other);
    };
  }

  /**
   * Qdrant's {@code memmap_threshold}: once the vectors of an {@link StorageMode#IN_MEMORY}
   * collection reach the threshold ({@code live points × dimension × 4} bytes ≥ {@code
   * memmapThresholdKb × 1024}), they move to a memory-mapped file in this write. The heap storage
   * is copied slot by slot into a {@link MappedVectorStorage} and replaces it under the write lock,
   * so no search sees the change half made; the heap copy is left to the garbage collector (a link
   * running without the lock may still read it, and reads the same vectors from it). Quantized
   * codes stay where they are (on the heap). Never moves back.
   */
  private void mapPastThresholdLocked() {
    if (memmapThresholdBytes <= 0 || !(storage instanceof HeapVectorStorage heap)) {
      return;
    }
    long bytes = (long) slotById.size() * config.dimension() * Float.BYTES;
    if (bytes < memmapThresholdBytes) {
      return;
    }
    MappedVectorStorage mapped =
        new MappedVectorStorage(
            fileDir.get().resolve(base + ".f32"),
            config.dimension(),
            MappedFile.DEFAULT_MAX_CHUNK_BYTES);
    try {
      mapped.ensureCapacity(Math.max(1, slotLimit));
      for (int s = 0; s < slotLimit; s++) {
        mapped.set(s, heap.get(s));
      }
    } catch (RuntimeException e) {
      mapped.close();
      throw e;
    }
    if (quantized instanceof ProductQuantizedIndex pq) {
      pq.originals(mapped);
    }
    storage = mapped;
  }

  /** Whether the vectors moved to a memory-mapped file past {@code memmap_threshold}, for tests. */
  boolean vectorsMapped() {
    return storage instanceof MappedVectorStorage;
  }

  /** A free slot: a released one if any, else a new one past the end (growing every store). */
  private int allocateSlot() {
    if (freeCount > 0) {
      return free[--freeCount];
    }
    int s = slotLimit;
    storage.ensureCapacity(s + 1);
    if (quantized != null) {
      quantized.ensureCapacity(s + 1);
    }
    ensureSlotCapacity(s);
    if (index != null) {
      index.ensureCapacity(s + 1);
    }
    slotLimit = s + 1;
    return s;
  }

  private void ensureSlotCapacity(int slot) {
    if (slot >= idBySlot.length) {
      int n = Math.max(slot + 1, Growth.next(idBySlot.length));
      idBySlot = Arrays.copyOf(idBySlot, n);
      payloads.ensureCapacity(n);
      columns.ensureCapacity(n);
    }
  }

  void delete(Collection<PointId> ids) {
    int[] repair = null;
    write.lock();
    try {
      for (PointId id : ids) {
        removeLocked(id);
      }
      repair = index == null ? null : index.scheduleRepair();
    } finally {
      write.unlock();
    }
    indexAfterWrite(false, repair);
  }

  void deleteByFilter(Filter filter) {
    int[] repair = null;
    write.lock();
    try {
      IntPredicate f = compile(filter);
      List<PointId> doomed = new ArrayList<>();
      for (Map.Entry<PointId, Integer> e : slotById.entrySet()) {
        if (f.test(e.getValue())) {
          doomed.add(e.getKey());
        }
      }
      doomed.forEach(this::removeLocked);
      repair = index == null ? null : index.scheduleRepair();
    } finally {
      write.unlock();
    }
    indexAfterWrite(false, repair);
  }

  private void removeLocked(PointId id) {
    Integer slot = slotById.get(id);
    if (slot != null) {
      forgetLocked(id, slot);
      if (index == null || !index.retire(slot)) {
        freeSlotLocked(slot);
      }
    }
  }

  /** The point leaves every lookup; its slot is not free yet. */
  private void forgetLocked(PointId id, int slot) {
    slotById.remove(id);
    idBySlot[slot] = null;
    payloads.clear(slot);
    columns.clear(slot);
  }

  private void freeSlotLocked(int slot) {
    storage.clear(slot);
    if (quantized != null) {
      quantized.clear(slot);
    }
    if (freeCount == free.length) {
      free = Arrays.copyOf(free, free.length * 2);
    }
    free[freeCount++] = slot;
  }

  /**
   * Replaces the payload of each point by {@code change(old)}; throws {@link
   * PointNotFoundException} before changing anything when an id is missing.
   */
  void updatePayloads(Collection<PointId> ids, UnaryOperator<Map<String, Object>> change) {
    write.lock();
    try {
      int[] slots = new int[ids.size()];
      int n = 0;
      for (PointId id : ids) {
        Integer slot = slotById.get(id);
        if (slot == null) {
          throw new PointNotFoundException(name, id);
        }
        slots[n++] = slot;
      }
      for (int i = 0; i < n; i++) {
        Map<String, Object> p = change.apply(payloads.get(slots[i]));
        payloads.set(slots[i], p);
        columns.set(slots[i], p);
      }
    } finally {
      write.unlock();
    }
  }

  /**
   * Sets the payload of each point this collection holds (ids it does not hold are skipped): how a
   * {@link MultiVectorCollection} keeps its spaces' payloads the same objects as its own.
   */
  void replacePayloads(Map<PointId, Map<String, Object>> payloads) {
    write.lock();
    try {
      for (Map.Entry<PointId, Map<String, Object>> e : payloads.entrySet()) {
        Integer slot = slotById.get(e.getKey());
        if (slot != null) {
          this.payloads.set(slot, e.getValue());
          columns.set(slot, e.getValue());
        }
      }
    } finally {
      write.unlock();
    }
  }

  void createPayloadIndex(String field, PayloadSchemaType type) {
    write.lock();
    try {
      payloadIndexes.put(field, type);
      columns.ensureCapacity(idBySlot.length);
      columns.add(field, payloads::get, idBySlot, slotLimit);
    } finally {
      write.unlock();
    }
  }

  // ---- reads ----

  private Map<String, Object> payloadAt(int slot) {
    return payloads.get(slot);
  }

  /**
   * The payload of {@code slot} as {@code selector} asks; read (with payloads on disk: decoded)
   * only when the selector wants any of it.
   */
  private Map<String, Object> selected(int slot, PayloadSelector selector) {
    if (!selector.enabled()) {
      return NO_PAYLOAD;
    }
    if (payloads.onDisk() && !selector.include().isEmpty()) {
      // the cache's searches ask for its bookkeeping fields only: the columns hold them
      Map<String, Object> fromColumns = columns.project(slot, selector.include());
      if (fromColumns != null) {
        return Payloads.copy(fromColumns, "payload");
      }
    }
    return select(payloadAt(slot), selector);
  }

  /** The payload store, for tests. */
  PayloadStore payloadStore() {
    return payloads;
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
    Map<String, Object> payload = selected(slot, selector);
    return withVectors
        ? new RetrievedPoint(id, payload, storage.get(slot))
        : RetrievedPoint.withoutVector(id, payload);
  }

  List<ScoredPoint> search(SearchRequest request, float[] query) {
    read.lock();
    try {
      int live = slotById.size();
      long wanted = (long) request.offset() + request.limit();
      int k = (int) Math.min(wanted, live);
      if (k <= request.offset() || k == 0) {
        return List.of();
      }
      Filter f = request.filter();
      IntPredicate filter = f == null || f.isEmpty() ? null : compile(f);
      Float threshold = request.scoreThreshold();
      SearchParams params = request.params();
      MemSearch search =
          new MemSearch(distance, kernels, storage, quantized, index, idBySlot, slotLimit, live);
      FilterPlanner.Estimate estimate = null;
      if (f != null && filter != null && search.graphEligible(params)) {
        PointId[] ids = idBySlot;
        HnswIndex ix = index;
        estimate =
            FilterPlanner.estimate(
                f,
                filter,
                columns,
                live,
                slotLimit,
                s -> ids[s] != null,
                ix == null ? -1 : ix.thresholdVectors());
      }
      TopK top = new TopK(k, distance.largerIsBetter(), idBySlot);
      MemSearch.Outcome outcome =
          search.run(
              query,
              k,
              filter,
              estimate,
              params,
              new MemSearch.Threshold(threshold != null, threshold != null ? threshold : 0f),
              top);
      outcomes.add(outcome);
      int[] slots = new int[top.size()];
      float[] scores = new float[top.size()];
      int n = top.drainBestFirst(slots, scores);
      List<ScoredPoint> out = new ArrayList<>(Math.max(0, n - request.offset()));
      for (int i = request.offset(); i < n; i++) {
        int slot = slots[i];
        out.add(
            request.withVectors()
                ? new ScoredPoint(
                    idBySlot[slot],
                    scores[i],
                    selected(slot, request.withPayload()),
                    storage.get(slot))
                : ScoredPoint.withoutVector(
                    idBySlot[slot], scores[i], selected(slot, request.withPayload())));
      }
      return out;
    } finally {
      read.unlock();
    }
  }

  /** {@code filter} as a predicate on slots, reading payload indexes where there are some. */
  private IntPredicate compile(Filter filter) {
    PointId[] ids = idBySlot;
    PayloadStore store = payloads;
    LongAdder reads = filterPayloadReads;
    return SlotFilter.compile(
        filter,
        columns,
        s -> ids[s],
        s -> {
          reads.increment(); // with payloads on disk, this decodes the payload from the file
          return store.get(s);
        });
  }

  long count(@Nullable Filter filter) {
    read.lock();
    try {
      if (filter == null || filter.isEmpty()) {
        return slotById.size();
      }
      IntPredicate f = compile(filter);
      long n = 0;
      for (int slot = 0; slot < slotLimit; slot++) {
        if (idBySlot[slot] != null && f.test(slot)) {
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
      Iterable<Map.Entry<PointId, Integer>> from = slotById.from(request.offset());
      List<RetrievedPoint> page = new ArrayList<>(Math.min(request.limit(), 1024));
      PointId next = null;
      Filter f = request.filter();
      // compiled as a search compiles it: the sweeper's expired filter reads the expiry column
      IntPredicate filter = f == null || f.isEmpty() ? null : compile(f);
      for (Map.Entry<PointId, Integer> e : from) {
        if (filter != null && !filter.test(e.getValue())) {
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
          new MemoryUsage(heapBytesLocked(), 0, mappedBytesLocked()));
    } finally {
      read.unlock();
    }
  }

  // ---- snapshots ----

  /** The read lock, held across every shard of a collection while a snapshot is written. */
  Lock readLock() {
    return read;
  }

  /** Receives the points of a snapshot. */
  interface PointSink {
    void accept(PointId id, float[] vector, Map<String, Object> payload) throws IOException;
  }

  /** How many points the collection holds; the caller holds {@link #readLock()}. */
  int pointCountLocked() {
    return slotById.size();
  }

  /**
   * Every point, in slot order (the order of first insertion when nothing was deleted), with its
   * vector as stored; the caller holds {@link #readLock()}.
   */
  void forEachPointLocked(PointSink sink) throws IOException {
    for (int slot = 0; slot < slotLimit; slot++) {
      PointId id = idBySlot[slot];
      if (id != null) {
        sink.accept(id, storage.get(slot), payloadAt(slot));
      }
    }
  }

  /**
   * This collection's graph section for a snapshot ({@link HnswIndex#writeImage}), its nodes in
   * slot order (the order of {@link #forEachPointLocked}); null when it has no graph to write. The
   * caller holds {@link #readLock()} until the body is written.
   */
  EngineSnapshots.@Nullable GraphImage graphImageLocked() {
    return graphImageLocked(null);
  }

  /**
   * As {@link #graphImageLocked()}, with the nodes in the order of {@code order} (the ids of a
   * points section; ids this collection does not hold are skipped). The caller keeps every write
   * out until the body is written: this collection's read lock, or the lock of the collection that
   * owns it.
   */
  EngineSnapshots.@Nullable GraphImage graphImageLocked(@Nullable List<PointId> order) {
    HnswIndex ix = index;
    if (ix == null) {
      return null;
    }
    int[] ordinal = new int[slotLimit];
    int live = 0;
    if (order == null) {
      for (int s = 0; s < slotLimit; s++) {
        ordinal[s] = idBySlot[s] != null ? live++ : -1;
      }
    } else {
      Arrays.fill(ordinal, -1);
      for (PointId id : order) {
        Integer s = slotById.get(id);
        if (s != null) {
          ordinal[s] = live++;
        }
      }
    }
    if (live != slotById.size() || !ix.imageReady(ordinal, vectorSource())) {
      return null;
    }
    int count = live;
    return new EngineSnapshots.GraphImage(
        count,
        out -> {
          ix.writeImage(out, ordinal, count);
          return count;
        });
  }

  /**
   * Before a restore loads the points of a snapshot that has a graph section: returns false when
   * this collection has no HNSW index (the section is then ignored); else its writes build no graph
   * until {@link #installGraphImage} (a collection no one sees yet).
   */
  boolean awaitGraphImage() {
    HnswIndex ix = index;
    if (ix == null) {
      return false;
    }
    write.lock();
    try {
      ix.awaitImage();
      return true;
    } finally {
      write.unlock();
    }
  }

  /**
   * Installs a snapshot's graph section as the graph, once {@link #awaitGraphImage} was called and
   * the section's points are all in, in slots {@code [0, count)} in their order.
   */
  void installGraphImage(DataInputStream in) throws IOException {
    HnswIndex ix = Objects.requireNonNull(index, "index");
    write.lock();
    try {
      if (slotLimit != slotById.size()) {
        throw new IllegalStateException(
            "the restored points fill "
                + slotById.size()
                + " of "
                + slotLimit
                + " slots (an id twice in the points section?)");
      }
      ix.installImage(in, slotLimit);
    } finally {
      write.unlock();
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
   * The arrays held, the id map, plus a rough per-point charge for the point id object, and the
   * payloads: an estimate of the payload maps when they are on the heap (see {@link
   * HeapPayloadStore#estimate}), the per-slot offsets when they are on disk.
   */
  private long heapBytesLocked() {
    long arrays =
        storage.heapBytes()
            + (quantized == null ? 0 : quantized.heapBytes())
            + (index == null ? 0 : index.heapBytes())
            + columns.heapBytes()
            + payloads.heapBytes()
            + (16 + 4L * idBySlot.length)
            + 16
            + 4L * free.length;
    long perPoint = 24 /* PointId (a UUID id holds a UUID of 32 more) */;
    return arrays + slotById.heapBytes() + perPoint * slotById.size();
  }

  /**
   * Bytes of memory-mapped files: the originals, the codes unless kept in RAM, and the graph when
   * on disk.
   */
  private long mappedBytesLocked() {
    return storage.mappedBytes()
        + payloads.mappedBytes()
        + (quantized == null ? 0 : quantized.mappedBytes())
        + (index == null ? 0 : index.mappedBytes());
  }

  static Map<String, Object> select(Map<String, Object> payload, PayloadSelector selector) {
    if (!selector.enabled()) {
      return NO_PAYLOAD;
    }
    if (selector.include().isEmpty()) {
      return payload;
    }
    // the stored payload is an unmodifiable copy already: its kept entries are shared, and the hit
    // that receives them does not copy them again
    return Payloads.subset(payload, selector.include(), "payload");
  }

  /**
   * The payload store of a space whose payloads another part owns (a {@link PointRegistry} of a
   * multi-vector collection with payloads on disk): a read looks the slot's id up there; writes
   * store nothing. Reports no memory: the owner charges the payloads.
   */
  private static final class SharedPayloads implements PayloadStore {
    private final IntFunction<@Nullable PointId> idOf;
    private final Function<PointId, Map<String, Object>> owner;

    SharedPayloads(
        IntFunction<@Nullable PointId> idOf, Function<PointId, Map<String, Object>> owner) {
      this.idOf = idOf;
      this.owner = owner;
    }

    @Override
    public Map<String, Object> get(int slot) {
      PointId id = idOf.apply(slot);
      return id == null ? NO_PAYLOAD : owner.apply(id);
    }

    @Override
    public void set(int slot, Map<String, Object> payload) {
      // the owner stores it
    }

    @Override
    public void clear(int slot) {
      // the owner forgets it
    }

    @Override
    public void ensureCapacity(int slots) {
      // nothing per slot
    }

    @Override
    public boolean onDisk() {
      return true; // read on demand, through the owner: filters and projections prefer columns
    }

    @Override
    public long heapBytes() {
      return 0;
    }

    @Override
    public long mappedBytes() {
      return 0;
    }

    @Override
    public void close() {
      // the owner closes its store
    }
  }
}
