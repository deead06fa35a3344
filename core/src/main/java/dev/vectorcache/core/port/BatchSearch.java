package dev.vectorcache.core.port;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.ReadOptions;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Extension of the vector-store port (reached with {@code extension(BatchSearch.class)}, advertised
 * as {@link dev.vectorcache.core.model.Capability#BATCH_SEARCH}): several searches of one
 * collection in <b>one request</b> (Qdrant's {@code SearchBatch}).
 *
 * <p>Each request is answered exactly as {@link AsyncVectorStore#search} answers it — its own
 * limit, offset, filter, score threshold, parameters, payload selector and vectors flag — and the
 * result holds one list of hits per request, in the order of the requests. An empty batch is
 * answered with an empty list, as Qdrant answers an empty {@code SearchBatch} (a collection that
 * does not exist is still an error).
 *
 * <p>Invalid input throws at once, before any I/O, as on the port: a {@code null} request, and a
 * query vector that does not fit the collection (of the wrong dimension, not finite, zero for
 * Cosine), whichever request of the batch holds it. A backend failure of any request fails the
 * whole batch (Qdrant answers a batch as one call), with the library's exceptions.
 */
public interface BatchSearch {

  /**
   * Runs the searches in one request with Qdrant's default read options.
   *
   * @param collection the collection searched by every request
   * @param requests the searches, none {@code null}; may be empty
   * @return completes with one list of hits per request, in order, each best first
   * @throws InvalidInputException for a {@code null} request or a bad query vector, before any I/O
   */
  default CompletableFuture<List<List<ScoredPoint>>> searchBatch(
      String collection, List<SearchRequest> requests) {
    return searchBatch(collection, requests, ReadOptions.DEFAULT);
  }

  /**
   * Runs the searches in one request with the options of a distributed Qdrant: the read consistency
   * applies to the whole batch, the shard keys to each of its searches (as with {@link
   * ClusterRequests#search}).
   *
   * @param collection the collection searched by every request
   * @param requests the searches, none {@code null}; may be empty
   * @param options the read consistency and shard keys; {@link ReadOptions#DEFAULT} sends none
   * @return completes with one list of hits per request, in order, each best first
   * @throws InvalidInputException for a {@code null} request or a bad query vector, before any I/O
   */
  CompletableFuture<List<List<ScoredPoint>>> searchBatch(
      String collection, List<SearchRequest> requests, ReadOptions options);

  /**
   * The check every implementation makes first: a non-null list without {@code null} elements.
   *
   * @param requests the batch
   * @return an unmodifiable copy of the batch
   * @throws NullPointerException when {@code requests} is {@code null}
   * @throws InvalidInputException naming {@code requests[i]} for a {@code null} element
   */
  static List<SearchRequest> checkRequests(List<SearchRequest> requests) {
    Objects.requireNonNull(requests, "requests");
    List<SearchRequest> out = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      SearchRequest r = requests.get(i);
      if (r == null) {
        throw new InvalidInputException("requests[" + i + "]", "a search request", null);
      }
      out.add(r);
    }
    return Collections.unmodifiableList(out);
  }
}
