package dev.vectorcache.qdrant;

import dev.vectorcache.core.adapter.Futures;
import dev.vectorcache.core.exception.AliasNotFoundException;
import dev.vectorcache.core.exception.AuthenticationException;
import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.exception.BackendRejectedException;
import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.CollectionAlreadyExistsException;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.exception.DimensionMismatchException;
import dev.vectorcache.core.exception.PointNotFoundException;
import dev.vectorcache.core.exception.TlsException;
import dev.vectorcache.core.exception.VectorCacheException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * Translates gRPC and Qdrant client failures into the library's exceptions, keeping the original as
 * the cause. The message names the server ({@code host:port}), the operation, the collection, the
 * status code and the server's description, for example {@code Qdrant at localhost:6334 is
 * unavailable (UNAVAILABLE: io exception); upsert on collection 'docs' failed}; the API key is
 * never part of any of these.
 */
final class QdrantErrors {
  static final String BACKEND = "qdrant";
  private static final Pattern DIMENSION = Pattern.compile("expected dim: (\\d+), got (\\d+)");
  private static final Pattern POINT = Pattern.compile("No point with id (\\S+) found");
  private static final Pattern ALIAS = Pattern.compile("Alias (.*) does not exists!");
  private static final Pattern NO_COLLECTION = Pattern.compile("Collection `(.*)` doesn't exist!");
  private static final Pattern TAKEN = Pattern.compile("Collection `(.*)` already exists!");
  private static final String ALIAS_TAKES_NAME = "Alias with the same name already exists";

  /**
   * Why a message cannot be decoded, in practice: protobuf parsers (protobuf-java here, prost in
   * Qdrant) stop at 100 nested messages, and each level of a payload map costs three (Value,
   * Struct, map entry).
   */
  private static final String TOO_DEEP_HINT =
      "a payload nested deeper than protobuf's limit of 100 message levels (about "
          + dev.vectorcache.qdrant.common.PayloadCodec.MAX_DEPTH
          + " levels of maps) is the usual cause";

  private QdrantErrors() {}

  /** The gRPC status of a failure, or {@code null} when it did not come from gRPC. */
  static @Nullable Status status(@Nullable Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StatusRuntimeException s) {
        return s.getStatus();
      }
      if (c instanceof StatusException s) {
        return s.getStatus();
      }
    }
    return null;
  }

  /**
   * The library's exception for a failed call.
   *
   * @param address the server as {@code host:port}; named in every message
   */
  static VectorCacheException translate(
      Throwable failure, String operation, @Nullable String collection, String address) {
    Throwable t = Futures.unwrap(failure);
    if (t instanceof VectorCacheException v) {
      return v;
    }
    Status status = status(t);
    String what = what(operation, collection);
    VectorCacheException undecodable = undecodable(t, status, what, address);
    if (undecodable != null) {
      return undecodable;
    }
    if (status == null) {
      return new BackendException(
          BACKEND, "Qdrant at " + address + ": " + what + " failed: " + t.getMessage(), t);
    }
    String description = status.getDescription() == null ? "" : status.getDescription();
    VectorCacheException domain = domain(status.getCode(), description, collection, t);
    if (domain != null) {
      return domain;
    }
    String code = "(" + status.getCode() + (description.isEmpty() ? "" : ": " + description) + ")";
    String message = "Qdrant at " + address + ": " + what + " failed " + code;
    String tls = tlsReason(t);
    if (tls != null) {
      return new TlsException(
          BACKEND,
          "Qdrant at "
              + address
              + ": the TLS handshake failed ("
              + tls
              + "); "
              + what
              + " failed. Check tls.trustedCertificates, the client certificate, that the"
              + " server's certificate names the host, and that the server speaks TLS",
          t);
    }
    return switch (status.getCode()) {
      case UNAUTHENTICATED, PERMISSION_DENIED ->
          new AuthenticationException(
              BACKEND,
              message + " (check the API key configured for this Qdrant; it is never logged)",
              t);
      case UNAVAILABLE ->
          new BackendUnavailableException(
              BACKEND,
              "Qdrant at " + address + " is unavailable " + code + "; " + what + " failed",
              t);
      case CANCELLED, ABORTED -> new BackendUnavailableException(BACKEND, message, t);
      case DEADLINE_EXCEEDED ->
          new BackendTimeoutException(
              BACKEND, "Qdrant at " + address + " did not answer " + what + " in time " + code, t);
      case NOT_FOUND,
          INVALID_ARGUMENT,
          RESOURCE_EXHAUSTED,
          FAILED_PRECONDITION,
          OUT_OF_RANGE,
          UNIMPLEMENTED ->
          new BackendRejectedException(BACKEND, message, t);
      default -> new BackendException(BACKEND, message, t);
    };
  }

  /** {@code "upsert on collection 'docs'"}: an operation and its collection, for messages. */
  static String what(String operation, @Nullable String collection) {
    return operation + (collection == null ? "" : " on collection '" + collection + "'");
  }

  /**
   * A request the server could not decode, or a reply this client could not: typed, never a bare
   * {@code UNKNOWN} or {@code CANCELLED}. Qdrant (tonic) answers a request it cannot decode with
   * {@code INTERNAL "failed to decode Protobuf message: ..."}; a grpc-java server (the test server)
   * with {@code UNKNOWN "Application error processing RPC"}; a reply grpc-java cannot parse cancels
   * the call with the parser's exception as the cause.
   */
  private static @Nullable VectorCacheException undecodable(
      Throwable t, @Nullable Status status, String what, String address) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof com.google.protobuf.InvalidProtocolBufferException p) {
        return new BackendException(
            BACKEND,
            "Qdrant at "
                + address
                + " answered "
                + what
                + " with a reply this client cannot decode ("
                + p.getMessage()
                + "); "
                + TOO_DEEP_HINT
                + ", in a point another client wrote",
            t);
      }
    }
    if (status == null) {
      return null;
    }
    String description = String.valueOf(status.getDescription());
    boolean serverCouldNotDecode =
        (status.getCode() == Status.Code.INTERNAL
                && description.contains("failed to decode Protobuf message"))
            || (status.getCode() == Status.Code.UNKNOWN
                && description.equals("Application error processing RPC"));
    if (!serverCouldNotDecode) {
      return null;
    }
    return new BackendRejectedException(
        BACKEND,
        "Qdrant at "
            + address
            + " could not decode or process the request of "
            + what
            + " ("
            + status.getCode()
            + ": "
            + description
            + "); "
            + TOO_DEEP_HINT,
        t);
  }

  /**
   * Qdrant's answers that mean something in the core model (no such collection, point or alias, a
   * collection or alias that takes the name, a dimension mismatch), or {@code null} for any other
   * failure. A call about no one collection (an alias update) finds the name in the message.
   */
  private static @Nullable VectorCacheException domain(
      Status.Code code, String description, @Nullable String collection, Throwable t) {
    return switch (code) {
      case NOT_FOUND -> {
        Matcher point = POINT.matcher(description);
        if (point.find()) {
          // String.valueOf: the message reads as before when no collection is known
          yield withCause(
              new PointNotFoundException(String.valueOf(collection), point.group(1)), t);
        }
        Matcher alias = ALIAS.matcher(description);
        if (alias.find()) {
          yield new AliasNotFoundException(alias.group(1), t);
        }
        if (collection != null) {
          yield new CollectionNotFoundException(collection, t);
        }
        Matcher named = NO_COLLECTION.matcher(description);
        yield named.find() ? new CollectionNotFoundException(named.group(1), t) : null;
      }
      // creating a named collection, or an alias that has a collection's name (named in the text)
      case ALREADY_EXISTS -> {
        if (collection != null) {
          yield new CollectionAlreadyExistsException(collection, t);
        }
        Matcher named = TAKEN.matcher(description);
        yield named.find() ? new CollectionAlreadyExistsException(named.group(1), t) : null;
      }
      case INVALID_ARGUMENT -> {
        if (collection != null && description.contains(ALIAS_TAKES_NAME)) {
          yield new CollectionAlreadyExistsException(
              collection, "an alias has this name; delete or rename the alias first", t);
        }
        Matcher dim = DIMENSION.matcher(description);
        if (!dim.find()) {
          yield null;
        }
        yield withCause(
            new DimensionMismatchException(
                "vector", Integer.parseInt(dim.group(1)), Integer.parseInt(dim.group(2))),
            t);
      }
      default -> null;
    };
  }

  private static <E extends VectorCacheException> E withCause(E e, Throwable cause) {
    e.initCause(cause);
    return e;
  }

  /**
   * Whether a failed call may be sent again: the server was not reached or not able to answer. A
   * failed TLS handshake is not: it fails the same way again.
   */
  static boolean retryable(Throwable failure) {
    Throwable t = Futures.unwrap(failure);
    Status status = status(t);
    return status != null && status.getCode() == Status.Code.UNAVAILABLE && tlsReason(t) == null;
  }

  /**
   * The JSSE's reason when a failure is a TLS handshake failure (an {@link SSLException} in the
   * chain that is not a handshake timeout), else {@code null}.
   */
  static @Nullable String tlsReason(@Nullable Throwable t) {
    String reason = null;
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SSLException && !String.valueOf(c.getMessage()).contains("timed out")) {
        String m = String.valueOf(c.getMessage());
        int nl = m.indexOf('\n');
        reason = nl < 0 ? m : m.substring(0, nl); // the deepest one says most
      }
    }
    return reason;
  }
}
