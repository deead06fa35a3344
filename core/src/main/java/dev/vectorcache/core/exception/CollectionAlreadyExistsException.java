package dev.vectorcache.core.exception;

import org.jspecify.annotations.Nullable;

/**
 * {@code createCollection} was called for a name that is taken, by a collection or by an alias; or
 * an alias was to be created with the name of a collection.
 */
public class CollectionAlreadyExistsException extends VectorCacheException {
  private static final long serialVersionUID = 1L;
  private final String collection;

  public CollectionAlreadyExistsException(String collection, @Nullable Throwable cause) {
    super("collection '" + collection + "' already exists", cause);
    this.collection = collection;
  }

  /**
   * The name is taken, for the reason {@code detail} gives (for example an alias of that name).
   *
   * @param collection the name
   * @param detail why it is taken, appended to the message
   * @param cause the backend's error, or {@code null}
   */
  public CollectionAlreadyExistsException(
      String collection, String detail, @Nullable Throwable cause) {
    super("the collection name '" + collection + "' is taken: " + detail, cause);
    this.collection = collection;
  }

  public String collection() {
    return collection;
  }
}
