package dev.vectorcache.core.model;

/** Health of a collection, as Qdrant reports it. */
public enum CollectionStatus {
  GREEN,
  YELLOW,
  GREY,
  RED
}
