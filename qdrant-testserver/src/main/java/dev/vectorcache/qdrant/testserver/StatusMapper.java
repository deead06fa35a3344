package dev.vectorcache.qdrant.testserver;

import dev.vectorcache.core.exception.AliasNotFoundException;
import dev.vectorcache.core.exception.CollectionAlreadyExistsException;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.exception.DimensionMismatchException;
import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.exception.PointNotFoundException;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers a call, turning the backing store's exceptions into Qdrant's status codes and texts. */
final class StatusMapper {
  private static final Logger LOG = LoggerFactory.getLogger(StatusMapper.class);
  private static final Pattern POINT_ID = Pattern.compile("no point with id (\\S+)");

  private StatusMapper() {}

  static <T> void answer(StreamObserver<T> observer, Supplier<T> call) {
    T result;
    try {
      result = call.get();
    } catch (RuntimeException e) {
      observer.onError(toStatus(e).asRuntimeException());
      return;
    }
    observer.onNext(result);
    observer.onCompleted();
  }

  static Status toStatus(Throwable e) {
    if (e instanceof StatusRuntimeException s) {
      return s.getStatus();
    }
    if (e instanceof StatusException s) {
      return s.getStatus();
    }
    if (e instanceof CollectionNotFoundException c) {
      return Status.NOT_FOUND.withDescription(
          "Not found: Collection `" + c.collection() + "` doesn't exist!");
    }
    if (e instanceof CollectionAlreadyExistsException c) {
      return Status.ALREADY_EXISTS.withDescription(
          "Wrong input: Collection `" + c.collection() + "` already exists!");
    }
    if (e instanceof AliasNotFoundException a) {
      return Status.NOT_FOUND.withDescription(
          "Not found: Alias " + a.alias() + " does not exists!");
    }
    if (e instanceof DimensionMismatchException d) {
      return Status.INVALID_ARGUMENT.withDescription(
          "Wrong input: Vector dimension error: expected dim: "
              + d.expectedDimension()
              + ", got "
              + d.actualDimension());
    }
    if (e instanceof PointNotFoundException p) {
      Matcher m = POINT_ID.matcher(String.valueOf(p.getMessage()));
      String id = m.find() ? m.group(1) : "?";
      return Status.NOT_FOUND.withDescription("Not found: No point with id " + id + " found");
    }
    if (e instanceof InvalidInputException i) {
      return Status.INVALID_ARGUMENT.withDescription("Wrong input: " + i.getMessage());
    }
    if (e instanceof UnsupportedCapabilityException u) {
      return Status.UNIMPLEMENTED.withDescription(u.getMessage());
    }
    LOG.warn("test server: unexpected failure of the backing store", e);
    return Status.INTERNAL.withDescription("Service internal error: " + e.getMessage());
  }
}
