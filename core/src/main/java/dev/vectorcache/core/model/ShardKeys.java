package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.InvalidInputException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The checks every list of shard keys goes through: no nulls, no duplicates. */
final class ShardKeys {
  private ShardKeys() {}

  static List<ShardKey> copy(String field, @Nullable List<ShardKey> keys) {
    if (keys == null) {
      throw new InvalidInputException(field, "a list of shard keys (empty for none)", null);
    }
    List<ShardKey> out = new ArrayList<>(keys.size());
    Set<ShardKey> seen = new HashSet<>();
    for (int i = 0; i < keys.size(); i++) {
      ShardKey k = keys.get(i);
      if (k == null) {
        throw new InvalidInputException(field + "[" + i + "]", "a shard key", null);
      }
      if (!seen.add(k)) {
        throw new InvalidInputException(field + "[" + i + "]", "each shard key once", k);
      }
      out.add(k);
    }
    return List.copyOf(out);
  }
}
