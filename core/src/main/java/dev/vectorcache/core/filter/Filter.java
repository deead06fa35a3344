package dev.vectorcache.core.filter;

import dev.vectorcache.core.exception.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A payload filter with Qdrant's semantics: a point passes when every {@code must} condition holds,
 * no {@code mustNot} condition holds, at least one {@code should} condition holds, and at least
 * {@code minShould.minCount} of {@code minShould.conditions} hold. An empty list is no constraint
 * (so an empty {@code should} passes everything).
 *
 * <p>Matching is type-strict: an integer match does not match a payload value {@code 2.0}, a
 * keyword match does not match a number.
 */
public record Filter(
    List<Condition> must,
    List<Condition> should,
    List<Condition> mustNot,
    @Nullable MinShould minShould) {

  /** At least {@code minCount} of {@code conditions} must hold. */
  public record MinShould(List<Condition> conditions, int minCount) {
    public MinShould {
      conditions = List.copyOf(Objects.requireNonNull(conditions, "conditions"));
      if (minCount < 0) {
        throw new InvalidInputException("filter.minShould.minCount", "0 or more", minCount);
      }
    }
  }

  public Filter {
    must = must == null ? List.of() : List.copyOf(must);
    should = should == null ? List.of() : List.copyOf(should);
    mustNot = mustNot == null ? List.of() : List.copyOf(mustNot);
  }

  /** A filter that passes when all conditions hold. */
  public static Filter must(Condition... conditions) {
    return new Filter(List.of(conditions), List.of(), List.of(), null);
  }

  /** A filter that passes when at least one condition holds. */
  public static Filter should(Condition... conditions) {
    return new Filter(List.of(), List.of(conditions), List.of(), null);
  }

  /** A filter that passes when no condition holds. */
  public static Filter mustNot(Condition... conditions) {
    return new Filter(List.of(), List.of(), List.of(conditions), null);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** True when this filter has no condition at all. */
  public boolean isEmpty() {
    return must.isEmpty()
        && should.isEmpty()
        && mustNot.isEmpty()
        && (minShould == null || minShould.conditions().isEmpty());
  }

  /** A filter holding this one's conditions and also requiring {@code condition}. */
  public Filter and(Condition condition) {
    List<Condition> m = new ArrayList<>(must);
    m.add(Objects.requireNonNull(condition, "condition"));
    return new Filter(m, should, mustNot, minShould);
  }

  /** Builder for {@link Filter}. */
  public static final class Builder {
    private final List<Condition> must = new ArrayList<>();
    private final List<Condition> should = new ArrayList<>();
    private final List<Condition> mustNot = new ArrayList<>();
    private @Nullable MinShould minShould;

    public Builder must(Condition... c) {
      must.addAll(List.of(c));
      return this;
    }

    public Builder should(Condition... c) {
      should.addAll(List.of(c));
      return this;
    }

    public Builder mustNot(Condition... c) {
      mustNot.addAll(List.of(c));
      return this;
    }

    public Builder minShould(int minCount, Condition... c) {
      minShould = new MinShould(List.of(c), minCount);
      return this;
    }

    public Filter build() {
      return new Filter(must, should, mustNot, minShould);
    }
  }
}
