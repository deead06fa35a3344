package dev.vectorcache.core.exception;

/** Metadata encodes to more bytes than the configured maximum. */
public class PayloadTooLargeException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public PayloadTooLargeException(String field, long maxBytes, long actualBytes) {
    super(
        field,
        "at most " + maxBytes + " bytes of JSON",
        actualBytes + " bytes",
        "store large documents elsewhere and keep a reference in the metadata, or raise"
            + " maxPayloadBytes");
  }
}
