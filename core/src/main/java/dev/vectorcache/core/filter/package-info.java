/**
 * Payload filters, with Qdrant's semantics: must, should, must_not, match, range, is_empty,
 * is_null, has_id and nested conditions.
 */
@NullMarked
package dev.vectorcache.core.filter;

import org.jspecify.annotations.NullMarked;
