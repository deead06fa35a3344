/** The command-line program. */
@NullMarked
package dev.vectorcache.cli;

import org.jspecify.annotations.NullMarked;
