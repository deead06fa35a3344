package dev.vectorcache.core.exception;

/** Metadata encodes to more bytes than the configured maximum. */
public class PayloadTooLargeException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /**
   * A payload over the limit.
   *
   * @param field the field, such as {@code metadata}
   * @param maxBytes the limit
   * @param measuredBytes how far it was measured: more than {@code maxBytes} (measuring stops soon
   *     after the limit, so this is a lower bound and is not shown)
   */
  public PayloadTooLargeException(String field, long maxBytes, long measuredBytes) {
    super(
        field,
        "at most " + maxBytes + " bytes of JSON",
        "more than " + Math.min(maxBytes, measuredBytes) + " bytes",
        "store large documents elsewhere and keep a reference in the metadata, or raise"
            + " maxPayloadBytes");
  }
}
