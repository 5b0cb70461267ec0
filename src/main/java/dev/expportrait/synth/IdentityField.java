package dev.expportrait.synth;

import dev.expportrait.head.Regions;

/**
 * The ground-truth static identity offsets D_id (paper Eq. 3) of a synthetic identity: person-specific
 * geometry the base model cannot express, mostly outside the face (hair volume, ear shape, clothing
 * folds and collar) plus small personal facial geometry (nose bump, cheekbones, a mole) and the resting trace
 * of the expression creases, deeper with age ({@link ExpressionField#restLines}). Every offset is a smooth
 * function of neutral position and normal along the normal; nothing depends on the motion.
 */
public final class IdentityField {
    private IdentityField() {}

    /** Height of a mole (metres). */
    private static final double MOLE_HEIGHT = 0.6e-3;
    /** Amplitude of clothing folds (metres). */
    private static final double FOLD_AMPLITUDE = 1.5e-3;
    /** Distance over which hair thins out at its borders (metres). */
    private static final double HAIR_FADE = 0.02;
    /** Neighbour-averaging passes over distances to region borders. */
    private static final int SMOOTHING = 8;
    /** Height of a bun over the hair (metres). */
    private static final double BUN_HEIGHT = 0.025;

    /**
     * @param identity the identity (its betas must be those {@code mesh} was built from)
     * @param mesh its dense neutral mesh
     * @return identityOffsets D_id [Vd, 3], metres
     */
    public static float[] evaluate(Identity identity, NeutralMesh mesh) {
        FaceFrame face = FaceFrame.of(mesh);
        float[] p = mesh.vertices(), n = mesh.normals();
        int[] regions = mesh.regions();
        boolean flowing = identity.hairStyle() == HairStyle.BOB || identity.hairStyle() == HairStyle.LONG;
        // Hair stops smoothly at the hairline and around the ears (smoothed: region borders are staircases).
        double[] toHairline = mesh.smoothed(mesh.distanceTo(Regions.FACE, Regions.EARS, Regions.EYES, Regions.LIPS), SMOOTHING);
        // Below the scalp, short styles stop and flowing ones blend into the hair falling over the neck.
        double[] toNeck = mesh.smoothed(mesh.distanceTo(Regions.NECK, Regions.SHOULDERS), SMOOTHING);
        double[] toNeckOnly = mesh.distanceTo(Regions.NECK);
        double[] offEar = mesh.distanceTo(Regions.FACE, Regions.SCALP, Regions.EYES, Regions.LIPS, Regions.NECK, Regions.SHOULDERS);
        double[] offFace = mesh.distanceTo(Regions.SCALP, Regions.EARS, Regions.EYES, Regions.LIPS, Regions.NECK, Regions.SHOULDERS);
        double[][] earCentre = earCentres(p, regions);
        double[] crown = scalpCentre(p, regions);
        float[] out = new float[p.length];
        for (int i = 0; i < regions.length; i++) {
            double[] x = {p[i * 3], p[i * 3 + 1], p[i * 3 + 2]};
            double[] nn = {n[i * 3], n[i * 3 + 1], n[i * 3 + 2]};
            double h = switch (regions[i]) {
                case Regions.SCALP -> hair(identity, face, x, nn, crown, toHairline[i], toNeck[i]);
                case Regions.NECK, Regions.SHOULDERS -> (flowing ? fallingHair(identity, face, x, nn, toHairline[i]) : 0)
                        + (regions[i] == Regions.SHOULDERS ? clothing(identity, x, toNeckOnly[i]) : 0);
                case Regions.EARS -> ear(identity, x, earCentre, offEar[i]);
                case Regions.FACE -> facialGeometry(identity, face, x, nn) * Smooth.step(0, 0.006, offFace[i]);
                default -> 0;
            };
            for (int c = 0; c < 3; c++) out[i * 3 + c] = (float) (h * nn[c]);
        }
        float[] rest = ExpressionField.restLines(identity, mesh);
        for (int i = 0; i < out.length; i++) out[i] += rest[i];
        return out;
    }

    /**
     * Hair volume on the scalp: fuller on the crown, fading to nothing at the hairline; towards the neck it
     * fades out (short styles) or into the falling hair (bob, long); a bun is a bump at the back of the head.
     */
    private static double hair(Identity id, FaceFrame face, double[] x, double[] n, double[] crown, double toHairline,
                               double toNeck) {
        double fuller = 0.75 + 0.25 * Smooth.step(face.browTop(), face.browTop() + 0.08, x[1]);
        boolean flowing = id.hairStyle() == HairStyle.BOB || id.hairStyle() == HairStyle.LONG;
        double below = flowing ? fallingHair(id, face, x, n, toHairline) / Math.max(id.hairThickness(), 1e-9) : 0;
        double nape = Smooth.step(0, HAIR_FADE, toNeck);
        double h = id.hairThickness() * Smooth.step(0, HAIR_FADE, toHairline) * (below + (fuller - below) * nape);
        if (id.hairStyle() == HairStyle.BUN) {
            double[] d = {x[0] - crown[0], x[1] - crown[1], x[2] - crown[2]};
            double len = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
            // Angle from the up-and-back direction (0, 0.5, -1)/|.| seen from the centre of the skull.
            double cos = (0.5 * d[1] - d[2]) / (len * Math.sqrt(1.25));
            double angle = Math.acos(Smooth.clamp(cos, -1, 1));
            h += BUN_HEIGHT * Smooth.gauss(angle, 0.28) * Smooth.step(0, HAIR_FADE, toHairline);
        }
        return h;
    }

    /** Bob and long hair fall over the back and sides of the neck (bob to chin height, long onto the shoulders). */
    private static double fallingHair(Identity id, FaceFrame face, double[] x, double[] n, double toHairline) {
        double end = id.hairStyle() == HairStyle.BOB
                ? Smooth.step(face.chin()[1] - 0.02, face.chin()[1] + 0.01, x[1])
                : Smooth.step(-0.14, -0.08, x[1]);
        double behind = Smooth.step(0.3, -0.3, n[2]) * Smooth.step(0.03, -0.01, x[2]);
        return id.hairThickness() * end * behind * Smooth.step(0, HAIR_FADE, toHairline);
    }

    /** Sinusoidal folds around the shoulders and a collar ridge around the neck base. */
    private static double clothing(Identity id, double[] x, double toNeck) {
        double around = Math.atan2(x[0], x[2]);
        double folds = FOLD_AMPLITUDE * Math.sin(id.clothingFolds() * around + id.clothingPhase() + 40 * x[1])
                * Smooth.step(0.01, 0.04, toNeck);
        double collar = id.collarHeight() * Smooth.step(0, 0.006, toNeck) * Smooth.gauss(toNeck - 0.014, 0.006);
        return folds + collar;
    }

    /** Upper ears stand out (or lie back) by the identity's flare, fading out at the ear root. */
    private static double ear(Identity id, double[] x, double[][] centre, double offEar) {
        double[] c = centre[x[0] < 0 ? 0 : 1];
        return id.earFlare() * Smooth.step(c[1] - 0.01, c[1] + 0.025, x[1]) * Smooth.step(0, 0.006, offEar);
    }

    /** Nose bump, cheekbones and a mole, placed from the identity's own landmarks. */
    private static double facialGeometry(Identity id, FaceFrame face, double[] x, double[] n) {
        double[] bridge = FaceFrame.lerp(face.noseBridge()[0], face.noseBridge()[1], 0.35);
        double h = id.noseBump() * Smooth.gauss(FaceFrame.dist(x, bridge), 0.005);
        for (int s : FaceFrame.SIDES) {
            double[] cheek = FaceFrame.lerp(face.eyeOuter()[s], face.jaw()[s], 0.35);
            h += id.cheekbones() * Smooth.gauss(FaceFrame.dist(x, cheek), 0.012);
        }
        double moleX = id.moleU() * 0.9 * Math.abs(face.eyeOuter()[1][0]);
        double moleY = face.chin()[1] + id.moleV() * face.faceHeight();
        double dxy = Math.hypot(x[0] - moleX, x[1] - moleY);
        // Only the front-facing sheet: the mole is placed by its (x, y) projection.
        h += MOLE_HEIGHT * Smooth.gauss(dxy, 0.0015) * Smooth.step(0.1, 0.4, n[2]);
        return h;
    }

    private static double[][] earCentres(float[] p, int[] regions) {
        double[][] sum = new double[2][3];
        int[] count = new int[2];
        for (int i = 0; i < regions.length; i++) {
            if (regions[i] == Regions.EARS) {
                int s = p[i * 3] < 0 ? 0 : 1;
                count[s]++;
                for (int c = 0; c < 3; c++) sum[s][c] += p[i * 3 + c];
            }
        }
        for (int s : FaceFrame.SIDES) {
            for (int c = 0; c < 3; c++) sum[s][c] /= Math.max(1, count[s]);
        }
        return sum;
    }

    private static double[] scalpCentre(float[] p, int[] regions) {
        double[] sum = new double[3];
        int count = 0;
        for (int i = 0; i < regions.length; i++) {
            if (regions[i] == Regions.SCALP) {
                count++;
                for (int c = 0; c < 3; c++) sum[c] += p[i * 3 + c];
            }
        }
        for (int c = 0; c < 3; c++) sum[c] /= Math.max(1, count);
        return sum;
    }
}
