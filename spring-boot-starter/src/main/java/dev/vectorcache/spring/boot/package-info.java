/** Spring Boot auto-configuration for vectorcache, bound to {@code vectorcache.*} properties. */
@NullMarked
package dev.vectorcache.spring.boot;

import org.jspecify.annotations.NullMarked;
