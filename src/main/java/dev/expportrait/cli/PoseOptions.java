package dev.expportrait.cli;

import dev.expportrait.head.HeadModel;
import dev.expportrait.head.HeadParameters;
import dev.expportrait.io.InputException;
import java.util.List;
import picocli.CommandLine.Option;

/** Shape, expression, pose and upsampling-level options shared by commands that pose one head frame. */
final class PoseOptions {
    @Option(names = "--shape", paramLabel = "k=v,...", description = "Shape coefficients by name or index, e.g. head_width=1.5,3=-0.5.")
    String shape;

    @Option(names = "--expression", paramLabel = "k=v,...", description = "Expression coefficients by name or index, e.g. browInnerUp=1,eyeBlinkLeft=0.5.")
    String expression;

    @Option(names = "--pose", paramLabel = "joint=ax,ay,az", description = "A joint's rotation as axis-angle in radians, by name or index (repeatable), e.g. jaw=0.3,0,0.")
    List<String> pose = List.of();

    @Option(names = "--level", defaultValue = "1", description = "Upsampling levels of Eq. 2: 0, 1 or 2 midpoint subdivisions (default: ${DEFAULT-VALUE}).")
    int level;

    /** The level, refused unless 0, 1 or 2. */
    int level() {
        if (level < 0 || level > 2) {
            throw new InputException("--level " + level + ": must be 0, 1 or 2");
        }
        return level;
    }

    /** The frame's parameters on {@code m}; unknown names and non-finite values are refused. */
    HeadParameters parameters(HeadModel m) {
        return HeadParameters.of(m, shape, expression, pose);
    }
}
