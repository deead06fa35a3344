package dev.vectorcache.semantic;

import dev.vectorcache.core.EntryPayload;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.filter.Condition;
import dev.vectorcache.core.filter.Filter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Refuses a filter of {@link SemanticCache#invalidateWhere} that names a field of the caches: such
 * filters would reach across scopes or models by the cache's own bookkeeping, which the dedicated
 * operations do with their guarantees.
 */
final class FilterFields {
  private FilterFields() {}

  static void refuseReserved(Filter filter) {
    walk(filter);
  }

  private static void walk(Filter f) {
    conditions(f.must());
    conditions(f.should());
    conditions(f.mustNot());
    if (f.minShould() != null) {
      conditions(f.minShould().conditions());
    }
  }

  private static void conditions(List<Condition> conditions) {
    for (Condition c : conditions) {
      if (c instanceof Condition.FieldCondition fc) {
        check(fc.key());
      } else if (c instanceof Condition.IsEmpty e) {
        check(e.key());
      } else if (c instanceof Condition.IsNull n) {
        check(n.key());
      } else if (c instanceof Condition.Nested n) {
        check(n.key()); // the keys inside are relative to the array's objects
      } else if (c instanceof Condition.Sub sub) {
        walk(sub.filter());
      }
    }
  }

  private static void check(@Nullable String key) {
    if (key != null
        && (key.startsWith(EntryFields.PREFIX) || key.startsWith(EntryPayload.RESERVED_PREFIX))) {
      throw new InvalidInputException(
          "filter",
          "conditions on response metadata fields only",
          "a condition on " + key,
          "invalidateScope(scope) deletes a scope; invalidateAll() everything");
    }
  }
}
