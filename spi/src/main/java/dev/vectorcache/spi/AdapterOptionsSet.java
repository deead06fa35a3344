package dev.vectorcache.spi;

import dev.vectorcache.core.exception.ConfigurationException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** The adapter options of one config, at most one object per options class. */
final class AdapterOptionsSet {
  static final AdapterOptionsSet EMPTY = new AdapterOptionsSet(Map.of());

  private final Map<Class<? extends AdapterOptions>, AdapterOptions> byType;

  private AdapterOptionsSet(Map<Class<? extends AdapterOptions>, AdapterOptions> byType) {
    this.byType = byType;
  }

  /** A set with {@code options} added, replacing any earlier object of its class. */
  AdapterOptionsSet with(AdapterOptions options) {
    Objects.requireNonNull(options, "options");
    Map<Class<? extends AdapterOptions>, AdapterOptions> copy = new LinkedHashMap<>(byType);
    copy.put(options.getClass(), options);
    return new AdapterOptionsSet(Map.copyOf(copy));
  }

  <T extends AdapterOptions> Optional<T> get(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return Optional.ofNullable(byType.get(type)).map(type::cast);
  }

  Collection<AdapterOptions> all() {
    return byType.values();
  }

  /** Refuses options meant for different adapters, or for another adapter than the named one. */
  void checkConsistent(@Nullable String client) {
    String first = null;
    for (AdapterOptions o : byType.values()) {
      if (first == null) {
        first = o.adapter();
      } else if (!first.equalsIgnoreCase(o.adapter())) {
        throw new ConfigurationException(
            "invalid adapterOptions: expected options for one adapter, found options for '"
                + first
                + "' and '"
                + o.adapter()
                + "'; a store is opened by one adapter, keep only its options");
      }
    }
    if (client != null) {
      check(client, "named with client(\"" + client + "\")");
    }
  }

  /** Refuses options for another adapter than {@code adapter}. */
  void check(String adapter, String why) {
    for (AdapterOptions o : byType.values()) {
      if (!o.adapter().equalsIgnoreCase(adapter)) {
        throw new ConfigurationException(
            "invalid adapterOptions: "
                + o.getClass().getSimpleName()
                + " are options for adapter '"
                + o.adapter()
                + "', but the store is opened by adapter '"
                + adapter
                + "' ("
                + why
                + "); drop them, or choose '"
                + o.adapter()
                + "' with client(\""
                + o.adapter()
                + "\")");
      }
    }
  }

  @Override
  public String toString() {
    return byType.values().stream()
        .map(String::valueOf)
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
