package dev.vectorcache.semantic;

/**
 * What a {@link SemanticCache} holds for one scope, from {@link SemanticCache#scopeStats(Scope)}.
 *
 * @param entries live entries of the scope written by the cache's model (counted in the vector
 *     store, the source of truth)
 */
public record ScopeStats(long entries) {}
