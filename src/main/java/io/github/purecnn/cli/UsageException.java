package io.github.purecnn.cli;

/**
 * A command line that cannot be run as given: an unknown command or option, a missing or
 * malformed value, a value out of range. The message names the argument and says what was
 * expected and what was found; the command line exits with status 2.
 */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
