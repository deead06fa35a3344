package dev.vectorcache.core.exception;

/** A vector's length differs from the collection's dimension. */
public class DimensionMismatchException extends InvalidVectorException {
  private static final long serialVersionUID = 1L;
  private final int expectedDimension;
  private final int actualDimension;

  public DimensionMismatchException(String field, int expectedDimension, int actualDimension) {
    super(
        field,
        "a vector of dimension " + expectedDimension,
        "dimension " + actualDimension,
        "embed with the model the collection was created for, or use a collection of dimension "
            + actualDimension);
    this.expectedDimension = expectedDimension;
    this.actualDimension = actualDimension;
  }

  public int expectedDimension() {
    return expectedDimension;
  }

  public int actualDimension() {
    return actualDimension;
  }
}
