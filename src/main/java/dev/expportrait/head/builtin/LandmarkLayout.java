package dev.expportrait.head.builtin;

/**
 * The 68 iBUG 300-W facial landmarks of the built-in head as front-view targets (x, y) in metres: 0-16 the jaw
 * contour from the subject's right (x < 0, the image left) round the chin to the left, 17-21 right eyebrow
 * (outer to inner), 22-26 left eyebrow (inner to outer), 27-30 nose bridge down to the tip, 31-35 nose bottom
 * (right to left), 36-41 right eye and 42-47 left eye (each starting at its image-left corner, going over the
 * upper lid and back under the lower lid), 48-59 outer lip contour and 60-67 inner lip contour (from the right
 * mouth corner, over the upper lip first).
 */
final class LandmarkLayout {
    private LandmarkLayout() {}

    static double[][] targets() {
        double[][] t = new double[68][];
        double[][] jawRight = {
                {-0.071, 0.200}, {-0.070, 0.185}, {-0.068, 0.170}, {-0.065, 0.155}, {-0.060, 0.141},
                {-0.052, 0.128}, {-0.041, 0.116}, {-0.024, 0.104}, {0, 0.098}};
        for (int i = 0; i <= 8; i++) {
            t[i] = jawRight[i];
            t[16 - i] = mirror(jawRight[i]);
        }
        double[][] browRight = {{-0.055, 0.229}, {-0.046, 0.236}, {-0.035, 0.239}, {-0.024, 0.237}, {-0.012, 0.232}};
        for (int i = 0; i < 5; i++) {
            t[17 + i] = browRight[i];
            t[26 - i] = mirror(browRight[i]);
        }
        t[27] = new double[] {0, FaceLayout.NASION_Y - 0.001};
        t[28] = new double[] {0, 0.203};
        t[29] = new double[] {0, 0.187};
        t[30] = new double[] {0, FaceLayout.NOSE_TIP_Y};
        t[31] = new double[] {-0.0145, 0.1595};
        t[32] = new double[] {-0.0075, 0.1565};
        t[33] = new double[] {0, FaceLayout.SUBNASALE_Y + 0.0005};
        t[34] = mirror(t[32]);
        t[35] = mirror(t[31]);
        double ex = FaceLayout.EYE_X;
        double ey = FaceLayout.EYE_Y;
        double rx = FaceLayout.OPENING_RX - 0.0005;
        double ry = FaceLayout.OPENING_RY - 0.0005;
        // Eye contour: image-left corner, two points on the upper lid, image-right corner, two on the lower lid.
        double[][] eye = {{-rx, 0}, {-0.45 * rx, ry}, {0.45 * rx, ry}, {rx, 0}, {0.45 * rx, -ry}, {-0.45 * rx, -ry}};
        for (int i = 0; i < 6; i++) {
            t[36 + i] = new double[] {-ex + eye[i][0], ey + eye[i][1]};
            t[42 + i] = new double[] {ex + eye[i][0], ey + eye[i][1]};
        }
        double m = FaceLayout.MOUTH_Y;
        double c = FaceLayout.MOUTH_CORNER_X;
        double[][] outer = {
                {-c, m}, {-0.017, 0.1435}, {-0.007, 0.1475}, {0, 0.1465}, {0.007, 0.1475}, {0.017, 0.1435},
                {c, m}, {0.017, 0.1310}, {0.008, 0.1270}, {0, 0.1260}, {-0.008, 0.1270}, {-0.017, 0.1310}};
        for (int i = 0; i < 12; i++) {
            t[48 + i] = outer[i];
        }
        double[][] inner = {
                {-0.021, m}, {-0.009, m + 0.0012}, {0, m + 0.0012}, {0.009, m + 0.0012},
                {0.021, m}, {0.009, m - 0.0012}, {0, m - 0.0012}, {-0.009, m - 0.0012}};
        for (int i = 0; i < 8; i++) {
            t[60 + i] = inner[i];
        }
        return t;
    }

    private static double[] mirror(double[] p) {
        return new double[] {-p[0], p[1]};
    }
}
