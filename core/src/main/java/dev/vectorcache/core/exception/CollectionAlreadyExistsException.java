package dev.vectorcache.core.exception;

import org.jspecify.annotations.Nullable;

/** {@code createCollection} was called for a name that is taken. */
public class CollectionAlreadyExistsException extends VectorCacheException {
  private static final long serialVersionUID = 1L;
  private final String collection;

  public CollectionAlreadyExistsException(String collection, @Nullable Throwable cause) {
    super("collection '" + collection + "' already exists", cause);
    this.collection = collection;
  }

  public String collection() {
    return collection;
  }
}
