package dev.expportrait.synth;

import java.util.ArrayList;
import java.util.List;

/** A scalar track through keyframes, eased with smoothstep between them (C1, flat at every key). */
final class Keyframes {
    private final List<double[]> keys = new ArrayList<>();

    /** Adds a key; times must be added in increasing order. */
    Keyframes add(double time, double value) {
        keys.add(new double[] {time, value});
        return this;
    }

    /** The eased value at {@code time}; held constant before the first and after the last key (0 when empty). */
    double value(double time) {
        if (keys.isEmpty()) {
            return 0;
        }
        if (time <= keys.get(0)[0]) {
            return keys.get(0)[1];
        }
        for (int k = 1; k < keys.size(); k++) {
            double[] a = keys.get(k - 1), b = keys.get(k);
            if (time <= b[0]) {
                return a[1] + (b[1] - a[1]) * Smooth.step(a[0], b[0], time);
            }
        }
        return keys.get(keys.size() - 1)[1];
    }
}
