/**
 * Helpers for adapter authors: code that a module implementing the {@link dev.vectorcache.core.port
 * ports} may use, and that applications have no need for.
 *
 * <p>It holds the bridges between the two forms of each port ({@link
 * dev.vectorcache.core.adapter.BlockingVectorStore}, {@link
 * dev.vectorcache.core.adapter.BlockingMetadataStore}, {@link
 * dev.vectorcache.core.adapter.InlineAsyncVectorStore}, {@link
 * dev.vectorcache.core.adapter.InlineAsyncMetadataStore}), the future helpers in {@link
 * dev.vectorcache.core.adapter.Futures}, the name-based ids of {@link
 * dev.vectorcache.core.adapter.Uuids}, the payload size estimate of {@link
 * dev.vectorcache.core.adapter.JsonSize} and the outage-sized failure log of {@link
 * dev.vectorcache.core.adapter.OutageLog}. These types are public and kept stable for adapter
 * modules; an application should talk to {@code VectorCache} and the ports instead.
 */
@NullMarked
package dev.vectorcache.core.adapter;

import org.jspecify.annotations.NullMarked;
