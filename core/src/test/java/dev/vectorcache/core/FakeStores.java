package dev.vectorcache.core;

import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.MetadataEntry;
import dev.vectorcache.core.model.MetadataEvent;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScrollPage;
import dev.vectorcache.core.model.ScrollRequest;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.AsyncVectorStore;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Small in-test stores for the core's unit tests: only the port methods that hydration and sweeping
 * call are implemented (through a dynamic proxy); any other call fails the test. They record every
 * call, so a test can count round trips.
 */
final class FakeStores {
  private FakeStores() {}

  /**
   * Points by id, with the calls made. Only {@code retrieve}, {@code scroll} and {@code delete}.
   */
  static final class Vectors {
    final Map<PointId, Map<String, Object>> points = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();

    /** When false, {@code delete} does nothing (a store that silently fails to delete). */
    boolean deletes = true;

    void put(PointId id, Map<String, Object> payload) {
      points.put(id, payload);
    }

    AsyncVectorStore port() {
      return (AsyncVectorStore)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {AsyncVectorStore.class},
              (proxy, method, args) -> {
                calls.add(method.getName());
                return switch (method.getName()) {
                  case "retrieve" -> CompletableFuture.completedFuture(retrieve(ids(args[1])));
                  case "scroll" ->
                      CompletableFuture.completedFuture(scroll((ScrollRequest) args[1]));
                  case "delete" -> {
                    if (deletes) {
                      ids(args[1]).forEach(points::remove);
                    }
                    yield CompletableFuture.completedFuture(null);
                  }
                  default -> throw new UnsupportedOperationException(method.getName());
                };
              });
    }

    private List<RetrievedPoint> retrieve(List<PointId> ids) {
      List<RetrievedPoint> out = new ArrayList<>();
      for (PointId id : ids) {
        Map<String, Object> p = points.get(id);
        if (p != null) {
          out.add(new RetrievedPoint(id, p, null));
        }
      }
      return out;
    }

    /** Pages of points matching the filter's {@code must} ranges, from the start every time. */
    private ScrollPage scroll(ScrollRequest request) {
      List<RetrievedPoint> page = new ArrayList<>();
      PointId next = null;
      for (Map.Entry<PointId, Map<String, Object>> e : points.entrySet()) {
        if (!matches(request.filter(), e.getValue())) {
          continue;
        }
        if (page.size() == request.limit()) {
          next = e.getKey();
          break;
        }
        page.add(new RetrievedPoint(e.getKey(), e.getValue(), null));
      }
      return new ScrollPage(page, next);
    }

    /** Just enough filter logic for the sweeper: every {@code must} range holds on a number. */
    private static boolean matches(Filter filter, Map<String, Object> payload) {
      for (Condition c : filter.must()) {
        if (!(c instanceof Condition.FieldCondition fc) || fc.range() == null) {
          throw new UnsupportedOperationException("the fake only evaluates ranges: " + c);
        }
        if (!(payload.get(fc.key()) instanceof Number n) || !fc.range().test(n.doubleValue())) {
          return false;
        }
      }
      return true;
    }

    @SuppressWarnings("unchecked") // the ports take Collection<PointId> or List<PointId>
    private static List<PointId> ids(Object arg) {
      return new ArrayList<>((Collection<PointId>) arg);
    }
  }

  /** Metadata copies by key, with their TTLs and the calls made. */
  static final class Metadata {
    final Map<String, MetadataEntry> entries = new LinkedHashMap<>();
    final Map<String, Duration> ttls = new LinkedHashMap<>();
    final List<MetadataEvent> events = new ArrayList<>();
    final List<String> calls = new ArrayList<>();

    /** When true, every call fails (a metadata store that is down). */
    boolean down;

    AsyncMetadataStore port() {
      return (AsyncMetadataStore)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {AsyncMetadataStore.class},
              (proxy, method, args) -> {
                calls.add(method.getName());
                if (down) {
                  return CompletableFuture.failedFuture(
                      new BackendUnavailableException("fake", "down", null));
                }
                return CompletableFuture.completedFuture(call(method.getName(), args));
              });
    }

    @SuppressWarnings("unchecked") // getAll and deleteAll take a Collection<String>
    private Object call(String name, Object[] args) {
      return switch (name) {
        case "put" -> {
          MetadataEntry e = (MetadataEntry) args[0];
          entries.put(e.key(), e);
          ttls.put(e.key(), (Duration) args[1]);
          yield null;
        }
        case "getAll" -> {
          Map<String, MetadataEntry> out = new LinkedHashMap<>();
          for (String k : (Collection<String>) args[0]) {
            if (entries.containsKey(k)) {
              out.put(k, entries.get(k));
            }
          }
          yield out;
        }
        case "deleteAll" -> {
          long n = 0;
          for (String k : (Collection<String>) args[0]) {
            n += entries.remove(k) == null ? 0 : 1;
          }
          yield n;
        }
        case "publish" -> {
          events.add((MetadataEvent) args[0]);
          yield null;
        }
        default -> throw new UnsupportedOperationException(name);
      };
    }
  }
}
