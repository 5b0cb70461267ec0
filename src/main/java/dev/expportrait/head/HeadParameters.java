package dev.expportrait.head;

import dev.expportrait.io.InputException;
import java.util.List;
import java.util.Locale;

/**
 * Coefficients and pose of one frame of a head model, set by name or index from text such as
 * {@code head_width=1.5,3=-0.5} (shape or expression) and {@code jaw=0.3,0,0} (a joint's axis-angle, radians).
 *
 * @param betas [S] shape coefficients
 * @param expression [E] expression coefficients
 * @param pose [J, 3] axis-angle per joint, radians
 */
public record HeadParameters(float[] betas, float[] expression, float[] pose) {

    /** All zeros for {@code model}: the neutral template. */
    public static HeadParameters zero(HeadModel model) {
        return new HeadParameters(new float[model.numShape()], new float[model.numExpression()], new float[model.numJoints() * 3]);
    }

    /**
     * The parameters given as text: shape and expression specs (null for none) and joint rotations, as the
     * CLI options take them; unknown names and non-finite values are refused.
     */
    public static HeadParameters of(HeadModel model, String shape, String expression, List<String> poses) {
        HeadParameters p = zero(model).withShape(model, shape).withExpression(model, expression);
        for (String spec : poses) {
            p = p.withPose(model, spec);
        }
        return p;
    }

    /** A copy with {@code spec} (comma-separated name=value or index=value) applied to the shape coefficients. */
    public HeadParameters withShape(HeadModel model, String spec) {
        return new HeadParameters(assign(spec, model.shapeNames(), betas, "shape"), expression, pose);
    }

    /** A copy with {@code spec} applied to the expression coefficients. */
    public HeadParameters withExpression(HeadModel model, String spec) {
        return new HeadParameters(betas, assign(spec, model.expressionNames(), expression, "expression"), pose);
    }

    /** A copy with one joint's rotation set from {@code joint=ax,ay,az} (joint by name or index). */
    public HeadParameters withPose(HeadModel model, String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new InputException("--pose '" + spec + "': expected joint=ax,ay,az (radians)");
        }
        String joint = spec.substring(0, eq).trim();
        int index = lookup(joint, model.jointNames(), "joint");
        String[] parts = spec.substring(eq + 1).split(",");
        if (parts.length != 3) {
            throw new InputException("--pose '" + spec + "': expected three axis-angle components, got " + parts.length);
        }
        float[] p = pose.clone();
        for (int k = 0; k < 3; k++) {
            p[index * 3 + k] = number(parts[k], "pose of joint '" + joint + "'");
        }
        return new HeadParameters(betas, expression, p);
    }

    private static float[] assign(String spec, List<String> names, float[] current, String kind) {
        float[] out = current.clone();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String item : spec.split(",")) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new InputException("--" + kind + " '" + item + "': expected name=value or index=value");
            }
            String key = item.substring(0, eq).trim();
            out[lookup(key, names, kind)] = number(item.substring(eq + 1), kind + " coefficient '" + key + "'");
        }
        return out;
    }

    private static int lookup(String key, List<String> names, String kind) {
        int index = names.indexOf(key);
        if (index >= 0) {
            return index;
        }
        if (key.chars().allMatch(Character::isDigit)) {
            int i = Integer.parseInt(key);
            if (i < names.size()) {
                return i;
            }
            throw new InputException("unknown " + kind + " index " + i + ": the model has " + names.size() + " (0.." + (names.size() - 1) + ")");
        }
        String lower = key.toLowerCase(Locale.ROOT);
        String hint = names.stream().filter(n -> n.toLowerCase(Locale.ROOT).contains(lower) || lower.contains(n.toLowerCase(Locale.ROOT)))
                .findFirst().map(n -> " (did you mean '" + n + "'?)").orElse("");
        throw new InputException("unknown " + kind + " name '" + key + "'" + hint + "; see 'expportrait head info' for the names");
    }

    private static float number(String text, String what) {
        float v;
        try {
            v = Float.parseFloat(text.trim());
        } catch (NumberFormatException e) {
            throw new InputException(what + ": '" + text.trim() + "' is not a number");
        }
        if (!Float.isFinite(v)) {
            throw new InputException(what + ": value " + text.trim() + " is not finite");
        }
        return v;
    }
}
