package dev.vectorcache.core.exception;

/** A payload or vector operation named a point id that does not exist. */
public class PointNotFoundException extends VectorCacheException {
  private static final long serialVersionUID = 1L;

  public PointNotFoundException(String collection, Object id) {
    super("no point with id " + id + " in collection '" + collection + "'");
  }
}
