/**
 * The front door: {@link dev.vectorcache.spi.Backends} opens stores from role-named configurations,
 * with the providers found by {@link java.util.ServiceLoader}.
 */
@NullMarked
package dev.vectorcache.spi;

import org.jspecify.annotations.NullMarked;
