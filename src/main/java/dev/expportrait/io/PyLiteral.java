package dev.expportrait.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parser for the small Python literals found in .npy headers, e.g.
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }}. Values become String, Long
 * (Python 2's {@code 3L} suffix accepted), Boolean, {@link #NONE}, List (tuples and lists) and Map (dicts,
 * in order). As in Python, {@code (5)} is the int 5 and {@code (5,)} a tuple. Errors are
 * IllegalArgumentException with the position.
 */
final class PyLiteral {
    /** Python's None. */
    static final Object NONE = new Object();

    private static final int MAX_DEPTH = 32;

    private final String s;
    private int pos;

    private PyLiteral(String s) {
        this.s = s;
    }

    /** Parses {@code text}, which must hold exactly one literal (surrounding whitespace allowed). */
    static Object parse(String text) {
        PyLiteral p = new PyLiteral(text);
        Object v = p.value(0);
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("unexpected text after the literal");
        }
        return v;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested too deeply");
        }
        skipSpace();
        if (pos >= s.length()) {
            throw error("unexpected end");
        }
        char c = s.charAt(pos);
        if (c == '{') {
            return dict(depth);
        }
        if (c == '(' || c == '[') {
            return sequence(depth, c);
        }
        if (c == '\'' || c == '"') {
            return string(c);
        }
        if (c == '-' || c == '+' || Character.isDigit(c)) {
            return integer();
        }
        if (Character.isLetter(c)) {
            return name();
        }
        throw error("unexpected character '" + c + "'");
    }

    private Map<Object, Object> dict(int depth) {
        pos++;
        Map<Object, Object> map = new LinkedHashMap<>();
        while (!consume('}')) {
            Object key = value(depth + 1);
            if (!consume(':')) {
                throw error("expected ':'");
            }
            map.put(key, value(depth + 1));
            if (!consume(',')) {
                if (!consume('}')) {
                    throw error("expected ',' or '}'");
                }
                break;
            }
        }
        return map;
    }

    private Object sequence(int depth, char open) {
        pos++;
        char close = open == '(' ? ')' : ']';
        List<Object> items = new ArrayList<>();
        boolean sawComma = false;
        while (!consume(close)) {
            items.add(value(depth + 1));
            if (!consume(',')) {
                if (!consume(close)) {
                    throw error("expected ',' or '" + close + "'");
                }
                break;
            }
            sawComma = true;
        }
        // (x) is just x in Python; only a comma makes a tuple
        if (open == '(' && items.size() == 1 && !sawComma) {
            return items.get(0);
        }
        return items;
    }

    private String string(char quote) {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == quote) {
                return sb.toString();
            }
            if (c == '\\' && pos < s.length()) {
                char e = s.charAt(pos++);
                sb.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case '0' -> '\0';
                    default -> e;
                });
            } else {
                sb.append(c);
            }
        }
        throw error("unterminated string");
    }

    private Long integer() {
        int start = pos;
        if (s.charAt(pos) == '-' || s.charAt(pos) == '+') {
            pos++;
        }
        int digits = pos;
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
            pos++;
        }
        if (pos == digits) {
            throw error("expected digits");
        }
        long v;
        try {
            v = Long.parseLong(s.substring(start, pos));
        } catch (NumberFormatException e) {
            throw error("integer out of range");
        }
        if (pos < s.length() && (s.charAt(pos) == 'L' || s.charAt(pos) == 'l')) {
            pos++; // Python 2 long
        }
        return v;
    }

    private Object name() {
        int start = pos;
        while (pos < s.length() && Character.isLetterOrDigit(s.charAt(pos))) {
            pos++;
        }
        String word = s.substring(start, pos);
        return switch (word) {
            case "True" -> Boolean.TRUE;
            case "False" -> Boolean.FALSE;
            case "None" -> NONE;
            default -> throw error("unexpected name '" + word + "'");
        };
    }

    private boolean consume(char c) {
        skipSpace();
        if (pos < s.length() && s.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at position " + pos);
    }
}
