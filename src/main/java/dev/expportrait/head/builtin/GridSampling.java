package dev.expportrait.head.builtin;

/**
 * Non-uniform placement of the grid rows (knot parameters) and columns (angles) so the face gets about 3 mm
 * spacing and the back of the head and the chest about 1-1.5 cm.
 */
final class GridSampling {
    private GridSampling() {}

    private static final int STEPS_PER_KNOT = 200;

    /**
     * Knot parameters of rings 1..n (the pole at t = 0 is not included), with each row gap close to the
     * profile's target spacing measured along the longest of the three profiles.
     */
    static double[] rowParameters() {
        int steps = BustProfiles.lastKnot() * STEPS_PER_KNOT;
        double[] cumulative = new double[steps + 1];
        BustProfiles.Level prev = BustProfiles.at(0);
        for (int s = 1; s <= steps; s++) {
            double t = (double) s / STEPS_PER_KNOT;
            BustProfiles.Level cur = BustProfiles.at(t);
            double ds = Math.max(Math.hypot(cur.zFront() - prev.zFront(), cur.yFront() - prev.yFront()),
                    Math.max(Math.hypot(cur.xSide() - prev.xSide(), cur.ySide() - prev.ySide()),
                            Math.hypot(cur.zBack() - prev.zBack(), cur.yBack() - prev.yBack())));
            cumulative[s] = cumulative[s - 1] + ds / cur.spacing();
            prev = cur;
        }
        int n = (int) Math.round(cumulative[steps]);
        double[] t = new double[n];
        int s = 0;
        for (int i = 1; i <= n; i++) {
            double target = cumulative[steps] * i / n;
            while (s < steps - 1 && cumulative[s + 1] < target) {
                s++;
            }
            double frac = (target - cumulative[s]) / (cumulative[s + 1] - cumulative[s]);
            t[i - 1] = i == n ? BustProfiles.lastKnot() : (s + Math.min(1, frac)) / STEPS_PER_KNOT;
        }
        return t;
    }

    /**
     * Column angles for an even column count: theta[0] = 0 (front midline), theta[cols/2] = pi (back), and
     * theta[cols - j] = -theta[j] exactly, so the grid is left-right symmetric. Density is highest over the face
     * (within about 60 degrees of the front) and raised again over the ears.
     */
    static double[] columnAngles(int cols) {
        int half = cols / 2;
        int steps = 4000;
        double[] cumulative = new double[steps + 1];
        for (int s = 1; s <= steps; s++) {
            double a = Math.PI * (s - 0.5) / steps;
            cumulative[s] = cumulative[s - 1] + density(a);
        }
        double[] theta = new double[cols];
        int s = 0;
        for (int j = 1; j < half; j++) {
            double target = cumulative[steps] * j / half;
            while (cumulative[s + 1] < target) {
                s++;
            }
            double frac = (target - cumulative[s]) / (cumulative[s + 1] - cumulative[s]);
            theta[j] = Math.PI * (s + frac) / steps;
            theta[cols - j] = -theta[j];
        }
        theta[half] = Math.PI;
        return theta;
    }

    private static double density(double angle) {
        double deg = Math.toDegrees(angle);
        double face = 1 - Falloff.smoothstep(55, 72, deg);
        double ear = Falloff.bump(Math.pow((deg - 95) / 28, 2));
        return 1 + 2.6 * face + 1.4 * ear;
    }
}
