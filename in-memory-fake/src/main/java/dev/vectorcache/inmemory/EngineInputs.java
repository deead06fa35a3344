package dev.vectorcache.inmemory;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.id.PointId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Input checks and payload edits of {@link InMemoryVectorStore}'s point operations. */
final class EngineInputs {
  private EngineInputs() {}

  /** A copy of {@code map} without the value at {@code path} (into objects only). */
  static Map<String, Object> without(Map<String, Object> map, String[] path, int i) {
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

  static Map<String, ?> requirePayload(Map<String, ?> payload) {
    if (payload == null) {
      throw new InvalidInputException("payload", "a map of JSON values", null);
    }
    return payload;
  }

  static List<PointId> checkIds(Collection<PointId> ids) {
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
}
