package dev.vectorcache.qdrant;

import dev.vectorcache.core.AuthenticationException;
import dev.vectorcache.core.BackendException;
import dev.vectorcache.core.BackendRejectedException;
import dev.vectorcache.core.BackendTimeoutException;
import dev.vectorcache.core.BackendUnavailableException;
import dev.vectorcache.core.CollectionAlreadyExistsException;
import dev.vectorcache.core.CollectionNotFoundException;
import dev.vectorcache.core.DimensionMismatchException;
import dev.vectorcache.core.PointNotFoundException;
import dev.vectorcache.core.VectorCacheException;
import dev.vectorcache.core.adapter.Futures;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates gRPC and Qdrant client failures into the library's exceptions, keeping the original as
 * the cause. The message names the operation, the collection, the status code and the server's
 * description; the API key is never part of any of these.
 */
final class QdrantErrors {
  static final String BACKEND = "qdrant";
  private static final Pattern DIMENSION = Pattern.compile("expected dim: (\\d+), got (\\d+)");
  private static final Pattern POINT = Pattern.compile("No point with id (\\S+) found");

  private QdrantErrors() {}

  /** The gRPC status of a failure, or {@code null} when it did not come from gRPC. */
  static Status status(Throwable t) {
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

  static VectorCacheException translate(Throwable failure, String operation, String collection) {
    Throwable t = Futures.unwrap(failure);
    if (t instanceof VectorCacheException v) {
      return v;
    }
    Status status = status(t);
    String where = collection == null ? "" : " on collection '" + collection + "'";
    if (status == null) {
      return new BackendException(
          BACKEND, "Qdrant " + operation + where + " failed: " + t.getMessage(), t);
    }
    String description = status.getDescription() == null ? "" : status.getDescription();
    String message =
        "Qdrant "
            + operation
            + where
            + " failed: "
            + status.getCode()
            + (description.isEmpty() ? "" : " " + description);
    switch (status.getCode()) {
      case NOT_FOUND:
        Matcher point = POINT.matcher(description);
        if (point.find()) {
          return withCause(new PointNotFoundException(collection, point.group(1)), t);
        }
        if (collection != null) {
          return new CollectionNotFoundException(collection, t);
        }
        return new BackendRejectedException(BACKEND, message, t);
      case ALREADY_EXISTS:
        return new CollectionAlreadyExistsException(collection, t);
      case INVALID_ARGUMENT:
        Matcher dim = DIMENSION.matcher(description);
        if (dim.find()) {
          return withCause(
              new DimensionMismatchException(
                  "vector", Integer.parseInt(dim.group(1)), Integer.parseInt(dim.group(2))),
              t);
        }
        return new BackendRejectedException(BACKEND, message, t);
      case UNAUTHENTICATED:
      case PERMISSION_DENIED:
        return new AuthenticationException(
            BACKEND,
            message + " (check the API key configured for this Qdrant; it is never logged)",
            t);
      case UNAVAILABLE:
      case CANCELLED:
      case ABORTED:
        return new BackendUnavailableException(BACKEND, message, t);
      case DEADLINE_EXCEEDED:
        return new BackendTimeoutException(BACKEND, message, t);
      case RESOURCE_EXHAUSTED:
      case FAILED_PRECONDITION:
      case OUT_OF_RANGE:
      case UNIMPLEMENTED:
        return new BackendRejectedException(BACKEND, message, t);
      default:
        return new BackendException(BACKEND, message, t);
    }
  }

  private static <E extends VectorCacheException> E withCause(E e, Throwable cause) {
    e.initCause(cause);
    return e;
  }

  /** Whether a failed call may be sent again: the server was not reached or not able to answer. */
  static boolean retryable(Throwable failure) {
    Status status = status(Futures.unwrap(failure));
    return status != null && status.getCode() == Status.Code.UNAVAILABLE;
  }
}
