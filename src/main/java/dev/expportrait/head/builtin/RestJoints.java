package dev.expportrait.head.builtin;

/**
 * Intended rest positions of the 25 SMPL-X body joints of the built-in bust [25, 3] (m), in SMPL-X index order.
 *
 * <p>A regressor row is a convex combination of template vertices, so a joint can only lie inside the bust. The
 * joints the bust really uses sit where the anatomy puts them; the ones it does not use (pelvis, spine1/2, legs,
 * elbows, wrists) are placed inside the bust as close to their anatomical place as it allows: the pelvis, the
 * lower spine and the legs just above the bottom cut, the elbows and wrists at the outer ends of the shoulders.
 * They carry no skinning weight.
 */
final class RestJoints {
    private RestJoints() {}

    static double[][] positions() {
        double bottom = BustProfiles.bottomY();
        double e = FaceLayout.EYE_X;
        return new double[][] {
                {0, bottom + 0.014, 0.000},          //  0 pelvis
                {0.060, bottom + 0.012, 0.000},      //  1 left_hip
                {-0.060, bottom + 0.012, 0.000},     //  2 right_hip
                {0, bottom + 0.035, -0.002},         //  3 spine1
                {0.070, bottom + 0.009, 0.005},      //  4 left_knee
                {-0.070, bottom + 0.009, 0.005},     //  5 right_knee
                {0, bottom + 0.065, -0.004},         //  6 spine2
                {0.075, bottom + 0.007, 0.010},      //  7 left_ankle
                {-0.075, bottom + 0.007, 0.010},     //  8 right_ankle
                {0, -0.080, -0.008},                 //  9 spine3
                {0.080, bottom + 0.006, 0.020},      // 10 left_foot
                {-0.080, bottom + 0.006, 0.020},     // 11 right_foot
                {0, 0.000, -0.012},                  // 12 neck
                {0.065, -0.008, -0.012},             // 13 left_collar
                {-0.065, -0.008, -0.012},            // 14 right_collar
                {0, 0.190, -0.012},                  // 15 head
                {0.160, -0.045, -0.008},             // 16 left_shoulder
                {-0.160, -0.045, -0.008},            // 17 right_shoulder
                {0.180, -0.075, -0.006},             // 18 left_elbow
                {-0.180, -0.075, -0.006},            // 19 right_elbow
                {0.182, -0.100, -0.004},             // 20 left_wrist
                {-0.182, -0.100, -0.004},            // 21 right_wrist
                {0, 0.175, 0.015},                   // 22 jaw
                {e, FaceLayout.EYE_Y, FaceLayout.EYEBALL_Z},   // 23 left_eye_smplhf
                {-e, FaceLayout.EYE_Y, FaceLayout.EYEBALL_Z},  // 24 right_eye_smplhf
        };
    }
}
