package dev.vectorcache.core.exception;

import org.jspecify.annotations.Nullable;

/** The named collection does not exist. Read paths never create it implicitly. */
public class CollectionNotFoundException extends VectorCacheException {
  private static final long serialVersionUID = 1L;
  private final String collection;

  public CollectionNotFoundException(String collection) {
    this(collection, null);
  }

  public CollectionNotFoundException(String collection, @Nullable Throwable cause) {
    super(
        "collection '"
            + collection
            + "' does not exist; create it first (VectorCache.initialize() or"
            + " VectorStore.createCollection)",
        cause);
    this.collection = collection;
  }

  public String collection() {
    return collection;
  }
}
