package dev.expportrait.head.builtin;

import dev.expportrait.head.HeadModel;

/** The built-in head, generated once for all test classes, and points on it. */
final class BuiltinFixture {
    private BuiltinFixture() {}

    static final HeadModel MODEL = BuiltinHead.generate();

    /** Joint j of the template by the model's regressor. */
    static double[] joint(int j) {
        return MODEL.restJoint(j);
    }

    /** Landmark l of the template from its face and barycentric coordinates. */
    static double[] landmark(int l) {
        double[] p = new double[3];
        int f = MODEL.lmkFaces()[l];
        for (int k = 0; k < 3; k++) {
            int vi = MODEL.faces()[3 * f + k];
            for (int c = 0; c < 3; c++) {
                p[c] += MODEL.lmkBary()[3 * l + k] * MODEL.vTemplate()[3 * vi + c];
            }
        }
        return p;
    }
}
