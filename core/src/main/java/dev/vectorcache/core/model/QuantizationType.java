package dev.vectorcache.core.model;

/** How vectors are compressed for the first, approximate pass of a search. */
public enum QuantizationType {
  /** One byte per dimension (4x smaller), rescored with the original vectors. */
  SCALAR_INT8,
  /** Product quantization (4x to 64x smaller). */
  PRODUCT,
  /** One bit per dimension (32x smaller), rescored with the original vectors. */
  BINARY
}
