/**
 * Internal: the command line ({@link io.github.purecnn.cli.Main}), one class per command, a small
 * option parser and the report pictures; not part of the public API.
 */
package io.github.purecnn.cli;
