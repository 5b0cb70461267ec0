package dev.expportrait.head.builtin;

/** A blend-shape direction as a smooth field: the displacement (m) at an undisplaced surface point for coefficient 1. */
@FunctionalInterface
interface DisplacementField {
    /** Writes the displacement of point p into out[0..2]. */
    void at(SurfacePoint p, double[] out);

    /** A field moving every point of a scalar weight w(p) by the fixed vector (dx, dy, dz). */
    static DisplacementField along(double dx, double dy, double dz, java.util.function.ToDoubleFunction<SurfacePoint> w) {
        return (p, out) -> {
            double s = w.applyAsDouble(p);
            out[0] = dx * s;
            out[1] = dy * s;
            out[2] = dz * s;
        };
    }

    /** A field moving every point along its surface normal by amount(p). */
    static DisplacementField normal(java.util.function.ToDoubleFunction<SurfacePoint> amount) {
        return (p, out) -> {
            double s = amount.applyAsDouble(p);
            out[0] = p.nx() * s;
            out[1] = p.ny() * s;
            out[2] = p.nz() * s;
        };
    }
}
