/** Contract tests that every backend runs through one small subclass, and test doubles. */
@NullMarked
package dev.vectorcache.testkit;

import org.jspecify.annotations.NullMarked;
