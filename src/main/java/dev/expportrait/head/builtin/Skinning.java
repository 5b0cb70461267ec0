package dev.expportrait.head.builtin;

import dev.expportrait.head.Joints;

/**
 * Linear-blend-skinning weights [V, J] of the built-in bust, smooth fields in surface coordinates.
 *
 * <p>Down the bust the head group (head, jaw, eyes) hands over to the neck below the chin and the neck to the
 * torso at the neck base. In the head group the lower face (lower lip, chin, jaw line, under the chin) follows
 * the jaw, with a sharp split only at the mouth line and a wide blend into the head across the cheeks; the
 * eyeballs inside the eye openings follow the eye joints while the eyelids stay with the head. In the torso the
 * middle follows spine3 and the sides the collars, then the shoulders.
 */
final class Skinning {
    private Skinning() {}

    static float[] weights(SurfacePoint[] points, int numJoints) {
        float[] w = new float[points.length * numJoints];
        double[] row = new double[numJoints];
        for (int v = 0; v < points.length; v++) {
            java.util.Arrays.fill(row, 0);
            fill(points[v], row);
            for (int j = 0; j < numJoints; j++) {
                w[v * numJoints + j] = (float) row[j];
            }
        }
        return w;
    }

    /** Head group share: 1 down to the chin's underside, 0 from the throat down. */
    static double headGroup(double t) {
        return 1 - Falloff.smoothstep(BustProfiles.CHIN_UNDERSIDE - 0.3, BustProfiles.CHIN_UNDERSIDE + 2.0, t);
    }

    /** Torso share: 0 up to the lower neck, 1 from the neck base down. */
    static double torso(double t) {
        return Falloff.smoothstep(BustProfiles.NECK_BASE - 1.5, BustProfiles.NECK_BASE + 0.5, t);
    }

    /** Share of the head group that follows the jaw. */
    static double jawShare(SurfacePoint p) {
        double ax = Math.abs(p.x());
        double lateral = Falloff.smoothstep(0.018, 0.07, ax);
        // The split follows the mouth line in front and rises towards the jaw joint across the cheek.
        double boundary = FaceLayout.MOUTH_Y + 0.028 * lateral;
        double halfWidth = 0.0028 + 0.022 * lateral;
        double below = 1 - Falloff.smoothstep(boundary - halfWidth, boundary + halfWidth, p.y());
        double inFront = Falloff.smoothstep(-0.03, 0.045, p.z());
        double notEar = 1 - FaceLayout.earSide(p) * (1 - Falloff.smoothstep(1.0, 1.4, FaceLayout.earDistance(p.y(), p.z())));
        return below * inFront * notEar;
    }

    /** Share of the head group that follows an eye joint: the eyeball inside the eye opening. */
    static double eyeShare(SurfacePoint p) {
        return p.frontness() * (1 - Falloff.smoothstep(0.72, 1.1, FaceLayout.eyeOpening(p.x(), p.y())));
    }

    private static void fill(SurfacePoint p, double[] w) {
        double head = headGroup(p.t());
        double torso = torso(p.t());
        double neck = 1 - head - torso;
        double jaw = jawShare(p);
        double eye = eyeShare(p);
        boolean left = p.x() > 0;
        w[Joints.JAW] = head * jaw;
        w[left ? Joints.LEFT_EYE : Joints.RIGHT_EYE] = head * eye;
        w[Joints.HEAD] = head * (1 - jaw - eye);
        w[Joints.NECK] = neck;
        double ax = Math.abs(p.x());
        double shoulder = Falloff.smoothstep(0.10, 0.21, ax);
        double collar = Falloff.smoothstep(0.02, 0.14, ax) * (1 - shoulder);
        w[left ? Joints.LEFT_SHOULDER : Joints.RIGHT_SHOULDER] = torso * shoulder;
        w[left ? Joints.LEFT_COLLAR : Joints.RIGHT_COLLAR] = torso * collar;
        w[Joints.SPINE3] = torso * (1 - shoulder - collar);
    }
}
