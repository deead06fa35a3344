package dev.vectorcache.core.model;

import java.util.Objects;

/**
 * A search of one vector space of a collection with named or sparse vectors: a dense search of the
 * space {@code using}, or a sparse one. The parts of a {@link HybridQuery}.
 */
public sealed interface VectorSearch {

  /** The vector space searched. */
  String using();

  /** The hits' limit. */
  int limit();

  /**
   * A dense search of the space {@code using} ({@code ""}: the unnamed vector).
   *
   * @param using the dense vector name
   * @param request the search, answered as the port's {@code search} answers it
   */
  record Dense(String using, SearchRequest request) implements VectorSearch {
    public Dense {
      Objects.requireNonNull(using, "using");
      Objects.requireNonNull(request, "request");
    }

    @Override
    public int limit() {
      return request.limit();
    }
  }

  /**
   * A search of the sparse space {@code using}.
   *
   * @param using the sparse vector name
   * @param request the search
   */
  record Sparse(String using, SparseSearch request) implements VectorSearch {
    public Sparse {
      Objects.requireNonNull(using, "using");
      Objects.requireNonNull(request, "request");
    }

    @Override
    public int limit() {
      return request.limit();
    }
  }

  static VectorSearch dense(String using, SearchRequest request) {
    return new Dense(using, request);
  }

  static VectorSearch sparse(String using, SparseSearch request) {
    return new Sparse(using, request);
  }
}
