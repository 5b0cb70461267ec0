package dev.expportrait.io;

/**
 * A problem with something the user gave us (a file, a name, a number). The message is one line that
 * names the input and says what is wrong with it; the CLI prints it as is and exits with code 2.
 */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
