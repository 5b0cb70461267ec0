package dev.expportrait.synth;

/**
 * Facial reference points of one identity's neutral mesh, from its 68 iBUG landmarks, so that detail
 * patterns are placed on (and scaled to) that identity's own face. Points are {x, y, z} in metres;
 * arrays indexed by side hold the subject's right (x < 0) first, then the left.
 *
 * @param browTop highest brow landmark height
 * @param chin chin point (landmark 8)
 * @param faceHeight brow top to chin
 * @param innerBrows midpoint of the inner brow ends (21, 22)
 * @param eyeOuter outer eye corners (36, 45)
 * @param eyeWidth mean eye width, corner to corner
 * @param noseBridge upper nose bridge (27) and nose tip (30)
 * @param noseWing nose wings (31, 35)
 * @param mouthCorner mouth corners (48, 54)
 * @param lowerLip lower lip bottom (57)
 * @param jaw jaw points at cheek height (2, 14)
 */
record FaceFrame(
        double browTop,
        double[] chin,
        double faceHeight,
        double[] innerBrows,
        double[][] eyeOuter,
        double eyeWidth,
        double[][] noseBridge,
        double[][] noseWing,
        double[][] mouthCorner,
        double[] lowerLip,
        double[][] jaw) {

    static final int[] SIDES = {0, 1};

    static FaceFrame of(NeutralMesh mesh) {
        if (mesh.landmarks().length != 68 * 3) {
            throw new IllegalArgumentException("the synthetic detail fields need the 68 iBUG landmarks, got "
                    + mesh.landmarks().length / 3);
        }
        double browTop = Double.NEGATIVE_INFINITY;
        for (int l = 17; l <= 26; l++) browTop = Math.max(browTop, mesh.landmark(l)[1]);
        double[] chin = mesh.landmark(8);
        double eyeWidth = 0.5 * (dist(mesh.landmark(36), mesh.landmark(39)) + dist(mesh.landmark(42), mesh.landmark(45)));
        return new FaceFrame(browTop, chin, browTop - chin[1], mid(mesh.landmark(21), mesh.landmark(22)),
                pair(mesh, 36, 45), eyeWidth, pair(mesh, 27, 30), pair(mesh, 31, 35), pair(mesh, 48, 54),
                mesh.landmark(57), pair(mesh, 2, 14));
    }

    /** Midpoint of the mouth corners. */
    double[] mouthCentre() {
        return mid(mouthCorner[0], mouthCorner[1]);
    }

    /** Mouth width, corner to corner. */
    double mouthWidth() {
        return dist(mouthCorner[0], mouthCorner[1]);
    }

    /** +1 for the subject's left side (x > 0), -1 for the right: multiplying x by it points outward. */
    static double outward(int side) {
        return side == 0 ? -1 : 1;
    }

    static double[] lerp(double[] a, double[] b, double t) {
        return new double[] {a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), a[2] + t * (b[2] - a[2])};
    }

    static double dist(double[] a, double[] b) {
        double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    private static double[] mid(double[] a, double[] b) {
        return lerp(a, b, 0.5);
    }

    private static double[][] pair(NeutralMesh mesh, int a, int b) {
        return new double[][] {mesh.landmark(a), mesh.landmark(b)};
    }
}
