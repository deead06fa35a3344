package dev.vectorcache.core;

import dev.vectorcache.core.model.CollectionConfig;
import org.jspecify.annotations.Nullable;

/**
 * Where a cache reads and writes now, with which settings and model; a cache holds one in a
 * volatile field and replaces it in one step, so every call sees one route from start to end and a
 * migration's switch is atomic for the callers of that cache.
 *
 * @param io the collection name reads and writes go to: the cache's name (a collection, or an alias
 *     of one), or during a switch the new physical collection
 * @param config the settings of that collection
 * @param checks the input checks for those settings
 * @param modelId the model recorded in written entries, or {@code null}
 * @param dual during a migration, the second collection every write also goes to
 */
record Route(
    String io,
    CollectionConfig config,
    InputChecks checks,
    @Nullable String modelId,
    @Nullable DualWrite dual) {

  /**
   * The new collection of a running migration and how its vectors are made.
   *
   * @param target the new physical collection
   * @param checks the input checks of its settings
   * @param modelId the new model's id
   * @param reembedder computes the new vectors
   */
  record DualWrite(String target, InputChecks checks, String modelId, Reembedder reembedder) {}

  Route withDual(@Nullable DualWrite next) {
    return new Route(io, config, checks, modelId, next);
  }
}
