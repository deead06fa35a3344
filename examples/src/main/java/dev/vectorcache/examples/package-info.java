/**
 * Every Java example of the README and docs as a runnable class: the build runs each one and checks
 * that the Markdown shows exactly the tagged region of its source. Not a library; never published.
 */
@NullMarked
package dev.vectorcache.examples;

import org.jspecify.annotations.NullMarked;
