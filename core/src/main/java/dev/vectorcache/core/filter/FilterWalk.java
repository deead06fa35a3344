package dev.vectorcache.core.filter;

import java.util.stream.Stream;

/** Walks every condition of a filter, depth first, including sub-filters. */
final class FilterWalk {
  private FilterWalk() {}

  static Stream<Condition> of(Filter f) {
    Stream<Condition> direct =
        Stream.of(
                f.must().stream(),
                f.should().stream(),
                f.mustNot().stream(),
                f.minShould() == null
                    ? Stream.<Condition>empty()
                    : f.minShould().conditions().stream())
            .flatMap(s -> s);
    return direct.flatMap(
        c ->
            c instanceof Condition.Sub s
                ? Stream.concat(Stream.of(c), of(s.filter()))
                : Stream.of(c));
  }
}
