package dev.vectorcache.core.model;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which payload fields a read returns: all, none, or only the listed top-level keys.
 *
 * @param enabled whether any payload is returned
 * @param include when non-empty, only these keys are returned
 */
public record PayloadSelector(boolean enabled, Set<String> include) {
  public static final PayloadSelector ALL = new PayloadSelector(true, Set.of());
  public static final PayloadSelector NONE = new PayloadSelector(false, Set.of());

  public PayloadSelector {
    include = Set.copyOf(Objects.requireNonNull(include, "include"));
  }

  /** Only these top-level keys. */
  public static PayloadSelector include(String... keys) {
    return new PayloadSelector(true, Set.copyOf(List.of(keys)));
  }

  public static PayloadSelector of(boolean withPayload) {
    return withPayload ? ALL : NONE;
  }
}
