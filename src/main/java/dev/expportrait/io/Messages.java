package dev.expportrait.io;

/**
 * Builds {@link InputException}s whose message stays on one line even when it quotes text taken from a
 * file (array names, dtypes, parser complaints), by writing control characters as {@code \\uXXXX}.
 */
final class Messages {
    private Messages() {}

    static InputException inputError(String message) {
        return new InputException(oneLine(message));
    }

    static InputException inputError(String message, Throwable cause) {
        return new InputException(oneLine(message), cause);
    }

    private static String oneLine(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
