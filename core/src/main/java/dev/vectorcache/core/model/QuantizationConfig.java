package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.InvalidInputException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Vector quantization of a collection. Build with {@link #scalarInt8}, {@link #product} or {@link
 * #binary}.
 *
 * @param type the method
 * @param quantile for {@link QuantizationType#SCALAR_INT8}: the share of values kept inside the
 *     int8 range when clipping outliers, 0.5 to 1.0; {@code null} otherwise (1.0 when unset)
 * @param compression for {@link QuantizationType#PRODUCT}: the compression ratio; {@code null}
 *     otherwise
 * @param alwaysRam keep the quantized codes in RAM even when the originals are on disk
 */
public record QuantizationConfig(
    QuantizationType type,
    @Nullable Float quantile,
    @Nullable Compression compression,
    boolean alwaysRam) {

  /** Product quantization compression ratios Qdrant offers. */
  public enum Compression {
    X4(4),
    X8(8),
    X16(16),
    X32(32),
    X64(64);

    private final int ratio;

    Compression(int ratio) {
      this.ratio = ratio;
    }

    public int ratio() {
      return ratio;
    }
  }

  public QuantizationConfig {
    Objects.requireNonNull(type, "type");
    if (type == QuantizationType.SCALAR_INT8) {
      if (quantile != null && !(quantile >= 0.5f && quantile <= 1.0f)) {
        throw new InvalidInputException(
            "quantization.quantile", "a number from 0.5 to 1.0", quantile);
      }
    } else if (quantile != null) {
      throw new InvalidInputException(
          "quantization.quantile", "no quantile for " + type + " quantization", quantile);
    }
    if (type == QuantizationType.PRODUCT) {
      if (compression == null) {
        throw new InvalidInputException(
            "quantization.compression", "one of X4, X8, X16, X32, X64 for PRODUCT", null);
      }
    } else if (compression != null) {
      throw new InvalidInputException(
          "quantization.compression", "no compression for " + type + " quantization", compression);
    }
  }

  /** int8 scalar quantization, Qdrant's recommended default for a small footprint. */
  public static QuantizationConfig scalarInt8(float quantile, boolean alwaysRam) {
    return new QuantizationConfig(QuantizationType.SCALAR_INT8, quantile, null, alwaysRam);
  }

  /** int8 scalar quantization with quantile 0.99 and codes kept in RAM. */
  public static QuantizationConfig scalarInt8() {
    return scalarInt8(0.99f, true);
  }

  public static QuantizationConfig product(Compression compression, boolean alwaysRam) {
    return new QuantizationConfig(QuantizationType.PRODUCT, null, compression, alwaysRam);
  }

  public static QuantizationConfig binary(boolean alwaysRam) {
    return new QuantizationConfig(QuantizationType.BINARY, null, null, alwaysRam);
  }

  /** The quantile, 1.0 when unset. */
  public float effectiveQuantile() {
    return quantile == null ? 1.0f : quantile;
  }
}
