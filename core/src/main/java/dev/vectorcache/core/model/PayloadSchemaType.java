package dev.vectorcache.core.model;

/** Type of a payload index. */
public enum PayloadSchemaType {
  KEYWORD,
  INTEGER,
  FLOAT,
  BOOL,
  TEXT,
  DATETIME,
  UUID
}
