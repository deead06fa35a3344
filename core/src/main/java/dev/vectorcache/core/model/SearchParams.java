package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * Per-search accuracy/speed trade-offs, passed to Qdrant as {@code SearchParams}. {@code null}
 * fields keep the server default.
 *
 * @param hnswEf candidates explored by HNSW; larger is more accurate and slower
 * @param exact scan every vector instead of using the index (and skip quantization)
 * @param ignoreQuantization search the original vectors even when quantized codes exist
 * @param rescore rescore quantized candidates with the original vectors
 * @param oversampling fetch {@code limit × oversampling} quantized candidates before rescoring; at
 *     least 1.0
 */
public record SearchParams(
    @Nullable Integer hnswEf,
    boolean exact,
    boolean ignoreQuantization,
    @Nullable Boolean rescore,
    @Nullable Double oversampling) {
  public static final SearchParams DEFAULT = new SearchParams(null, false, false, null, null);

  public SearchParams {
    if (hnswEf != null && hnswEf < 1) {
      throw new InvalidInputException("params.hnswEf", "1 or more", hnswEf);
    }
    if (oversampling != null && !(oversampling >= 1.0 && Double.isFinite(oversampling))) {
      throw new InvalidInputException(
          "params.oversampling", "a finite number of at least 1.0", oversampling);
    }
  }

  public static SearchParams exactSearch() {
    return new SearchParams(null, true, false, null, null);
  }

  public SearchParams withRescore(@Nullable Boolean rescore, @Nullable Double oversampling) {
    return new SearchParams(hnswEf, exact, ignoreQuantization, rescore, oversampling);
  }
}
