package dev.vectorcache.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vectorcache.core.exception.AliasNotFoundException;
import dev.vectorcache.core.exception.AuthenticationException;
import dev.vectorcache.core.exception.BackendException;
import dev.vectorcache.core.exception.BackendRejectedException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.CollectionAlreadyExistsException;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.exception.DimensionMismatchException;
import dev.vectorcache.core.exception.PointNotFoundException;
import dev.vectorcache.core.exception.TlsException;
import dev.vectorcache.core.exception.VectorCacheException;
import io.grpc.Status;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class QdrantErrorsTest {
  private static final String AT = "localhost:6334";

  private static VectorCacheException translate(Status s, String collection) {
    return QdrantErrors.translate(
        new CompletionException(s.asRuntimeException()), "search", collection, AT);
  }

  @Test
  void unavailableNamesHostAndPortAndKeepsTheCause() {
    VectorCacheException e = translate(Status.UNAVAILABLE.withDescription("io exception"), null);
    assertThat(e)
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessage(
            "Qdrant at localhost:6334 is unavailable (UNAVAILABLE: io exception); search failed");
    assertThat(Status.fromThrowable(e.getCause()).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void everyKindOfFailureNamesTheServer() {
    for (Status s :
        new Status[] {
          Status.DEADLINE_EXCEEDED, Status.INTERNAL, Status.PERMISSION_DENIED, Status.ABORTED
        }) {
      assertThat(translate(s, "docs").getMessage())
          .as(s.getCode().name())
          .contains("Qdrant at " + AT)
          .contains("collection 'docs'")
          .contains(s.getCode().name());
    }
    assertThat(
            QdrantErrors.translate(
                new IllegalStateException("channel shut down"), "count", null, AT))
        .isInstanceOf(BackendException.class)
        .hasMessage("Qdrant at localhost:6334: count failed: channel shut down");
  }

  @Test
  void qdrantsAnswersBecomeTypedExceptions() {
    assertThat(translate(Status.NOT_FOUND.withDescription("Not found: Collection `docs`"), "docs"))
        .isInstanceOf(CollectionNotFoundException.class);
    assertThat(
            translate(
                Status.NOT_FOUND.withDescription("Not found: No point with id 7 found"), "docs"))
        .isInstanceOf(PointNotFoundException.class);
    assertThat(
            translate(
                Status.INVALID_ARGUMENT.withDescription(
                    "Wrong input: Vector dimension error: expected dim: 4, got 3"),
                "docs"))
        .isInstanceOf(DimensionMismatchException.class);
    assertThat(translate(Status.UNAUTHENTICATED, "docs"))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("check the API key");
  }

  @Test
  void aliasAnswersNameTheirAliasOrCollection() {
    // an alias update is about no one collection: the name comes from Qdrant's text
    assertThat(
            translate(
                Status.NOT_FOUND.withDescription("Not found: Alias live does not exists!"), null))
        .isInstanceOfSatisfying(
            AliasNotFoundException.class, e -> assertThat(e.alias()).isEqualTo("live"));
    assertThat(
            translate(
                Status.NOT_FOUND.withDescription("Not found: Collection `docs v2` doesn't exist!"),
                null))
        .isInstanceOfSatisfying(
            CollectionNotFoundException.class,
            e -> assertThat(e.collection()).isEqualTo("docs v2"));
    assertThat(
            translate(
                Status.ALREADY_EXISTS.withDescription(
                    "Wrong input: Collection `docs` already exists!"),
                null))
        .isInstanceOfSatisfying(
            CollectionAlreadyExistsException.class,
            e -> assertThat(e.collection()).isEqualTo("docs"));
    assertThat(translate(Status.NOT_FOUND.withDescription("Not found: something"), null))
        .isInstanceOf(BackendRejectedException.class);
    assertThat(translate(Status.ALREADY_EXISTS.withDescription("exists"), null))
        .isExactlyInstanceOf(BackendException.class);
    // creating a collection with an alias's name
    assertThat(
            translate(
                Status.INVALID_ARGUMENT.withDescription(
                    "Wrong input: Can't create collection with name live. Alias with the same name"
                        + " already exists"),
                "live"))
        .isInstanceOfSatisfying(
            CollectionAlreadyExistsException.class,
            e -> {
              assertThat(e.collection()).isEqualTo("live");
              assertThat(e).hasMessageContaining("alias");
            });
  }

  @Test
  void onlyUnavailableIsRetryable() {
    assertThat(QdrantErrors.retryable(Status.UNAVAILABLE.asRuntimeException())).isTrue();
    assertThat(QdrantErrors.retryable(Status.DEADLINE_EXCEEDED.asRuntimeException())).isFalse();
    assertThat(QdrantErrors.retryable(new IllegalStateException())).isFalse();
  }

  @Test
  void aRequestTheServerCouldNotDecodeIsARejectionNotAnUnknownFailure() {
    // Qdrant (tonic + prost) and a grpc-java server (the test server) word it differently
    for (Status s :
        new Status[] {
          Status.INTERNAL.withDescription(
              "failed to decode Protobuf message: Value.kind: Struct.fields: recursion limit"
                  + " reached"),
          Status.UNKNOWN.withDescription("Application error processing RPC")
        }) {
      VectorCacheException e = translate(s, "docs");
      assertThat(e)
          .isInstanceOf(dev.vectorcache.core.exception.BackendRejectedException.class)
          .hasMessageStartingWith(
              "Qdrant at localhost:6334 could not decode or process the request of search on"
                  + " collection 'docs' (")
          .hasMessageContaining("100 message levels")
          .hasMessageContaining(dev.vectorcache.qdrant.common.PayloadCodec.MAX_DEPTH + " levels");
    }
    // any other UNKNOWN or INTERNAL stays a plain backend failure
    assertThat(translate(Status.UNKNOWN.withDescription("boom"), "docs"))
        .isExactlyInstanceOf(BackendException.class);
  }

  @Test
  void aReplyThisClientCannotDecodeIsTypedNotCancelled() {
    // what grpc-java does with a reply it cannot parse: CANCELLED, the parser's failure as cause
    Throwable parse =
        Status.INTERNAL
            .withDescription("Invalid protobuf byte sequence")
            .withCause(
                new com.google.protobuf.InvalidProtocolBufferException(
                    "Protocol message had too many levels of nesting."))
            .asRuntimeException();
    Throwable cancelled =
        Status.CANCELLED
            .withDescription("Failed to read message.")
            .withCause(parse)
            .asRuntimeException();
    VectorCacheException e = QdrantErrors.translate(cancelled, "retrieve", "docs", AT);
    assertThat(e)
        .isExactlyInstanceOf(BackendException.class)
        .hasMessageStartingWith(
            "Qdrant at localhost:6334 answered retrieve on collection 'docs' with a reply this"
                + " client cannot decode (Protocol message had too many levels of nesting.)")
        .hasCause(cancelled);
    assertThat(QdrantErrors.retryable(cancelled)).isFalse();
  }

  @Test
  void aFailedTlsHandshakeIsATlsExceptionAndNotRetried() {
    Status tls =
        Status.UNAVAILABLE
            .withDescription("io exception")
            .withCause(
                new SSLHandshakeException(
                    "No subject alternative names matching IP address 127.0.0.1 found"));
    assertThat(translate(tls, null))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("Qdrant at " + AT)
        .hasMessageContaining("(No subject alternative names matching IP address 127.0.0.1 found)");
    assertThat(QdrantErrors.retryable(tls.asRuntimeException())).isFalse();
    Status timedOut =
        Status.UNAVAILABLE.withCause(new SSLHandshakeException("handshake timed out after 2s"));
    assertThat(translate(timedOut, null)).isExactlyInstanceOf(BackendUnavailableException.class);
  }
}
