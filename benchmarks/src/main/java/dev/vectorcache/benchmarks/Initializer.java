package dev.vectorcache.benchmarks;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a JMH {@code @Setup(Level.Trial)} method: JMH calls it before any benchmark method, so the
 * fields it assigns are never read as null. NullAway treats a method annotated with an annotation
 * of this simple name as an initializer.
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
@interface Initializer {}
