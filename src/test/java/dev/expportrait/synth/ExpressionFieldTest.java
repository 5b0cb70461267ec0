package dev.expportrait.synth;

import static dev.expportrait.synth.SynthFixture.HEAD;
import static dev.expportrait.synth.SynthFixture.MODEL;
import static dev.expportrait.synth.SynthFixture.expression;
import static dev.expportrait.synth.SynthFixture.rms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.head.Regions;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExpressionFieldTest {
    private static final float[] JAW_CLOSED = {0, 0, 0};
    private static final float[] SMILE_BROWS_UP = expression("browInnerUp", 1, "browOuterUpLeft", 1, "browOuterUpRight", 1,
            "mouthSmileLeft", 1, "mouthSmileRight", 1, "cheekSquintLeft", 0.6);

    private static ExpressionField field(Identity id) {
        return ExpressionField.of(id, NeutralMesh.of(id, HEAD), MODEL);
    }

    @Test
    void exactlyZeroAtTheNeutralExpression() {
        float[] d = field(Identities.sample(3, MODEL).atAge(75)).evaluate(new float[MODEL.numExpression()], JAW_CLOSED);
        assertThat(d).hasSize(HEAD.numVertices() * 3);
        for (float v : d) assertThat(Float.floatToRawIntBits(v)).isZero();
    }

    @Test
    void exactlyZeroOutsideTheFaceAndLipsForRandomExpressions() {
        Identity id = Identities.sample(11, MODEL).atAge(70);
        NeutralMesh mesh = NeutralMesh.of(id, HEAD);
        ExpressionField field = ExpressionField.of(id, mesh, MODEL);
        Random r = new Random(4);
        for (int trial = 0; trial < 5; trial++) {
            float[] e = new float[MODEL.numExpression()];
            for (int k = 0; k < e.length; k++) e[k] = r.nextFloat();
            float[] d = field.evaluate(e, new float[] {0.3f * r.nextFloat(), 0, 0});
            int[] regions = mesh.regions();
            boolean anyInside = false;
            for (int i = 0; i < regions.length; i++) {
                boolean face = regions[i] == Regions.FACE || regions[i] == Regions.LIPS;
                for (int c = 0; c < 3; c++) {
                    assertThat(Float.isFinite(d[i * 3 + c])).isTrue();
                    if (!face) {
                        assertThat(d[i * 3 + c]).as("vertex %d, region %d", i, regions[i]).isZero();
                    } else {
                        anyInside |= d[i * 3 + c] != 0;
                    }
                }
            }
            assertThat(anyInside).isTrue();
        }
    }

    @Test
    void raisedBrowsCreaseAnOldForehead() {
        Identity old = Identities.sample(3, MODEL).atAge(78);
        NeutralMesh mesh = NeutralMesh.of(old, HEAD);
        float[] d = ExpressionField.of(old, mesh, MODEL).evaluate(expression("browInnerUp", 1), JAW_CLOSED);
        double browTop = FaceFrame.of(mesh).browTop();
        double foreheadMax = 0, elsewhereMax = 0;
        for (int i = 0; i < mesh.numVertices(); i++) {
            double m = Math.sqrt(d[i * 3] * d[i * 3] + d[i * 3 + 1] * d[i * 3 + 1] + d[i * 3 + 2] * d[i * 3 + 2]);
            if (mesh.vertices()[i * 3 + 1] > browTop + 0.005) {
                foreheadMax = Math.max(foreheadMax, m);
            } else if (mesh.vertices()[i * 3 + 1] < browTop - 0.03) {
                elsewhereMax = Math.max(elsewhereMax, m);
            }
        }
        assertThat(foreheadMax).isBetween(0.8e-3, 2.5e-3);
        assertThat(elsewhereMax).isZero();
    }

    @Test
    void theSameExpressionCreasesAnOldFaceFarMoreThanAChild() {
        Identity adult = Identities.sample(3, MODEL);
        float[] jaw = {0.1f, 0, 0};
        double child = rms(field(adult.atAge(6)).evaluate(SMILE_BROWS_UP, jaw));
        double old = rms(field(adult.atAge(75)).evaluate(SMILE_BROWS_UP, jaw));
        assertThat(old).isPositive();
        assertThat(old).isGreaterThanOrEqualTo(5 * child);
    }

    @Test
    void differentFaceShapesGetCreasesInDifferentPlaces() {
        Identity adult = Identities.sample(3, MODEL).atAge(60);
        int height = MODEL.shapeNames().indexOf("head_height");
        float[] tall = new float[MODEL.numShape()], short_ = new float[MODEL.numShape()];
        tall[height] = 2;
        short_[height] = -2;
        float[] a = field(adult.withBetas(tall)).evaluate(SMILE_BROWS_UP, JAW_CLOSED);
        float[] b = field(adult.withBetas(short_)).evaluate(SMILE_BROWS_UP, JAW_CLOSED);
        assertThat(rms(a)).isPositive();
        assertThat(rms(b)).isPositive();
        assertThat(correlation(a, b)).isLessThan(0.9);
    }

    @Test
    void foreheadCreasesStartAtEachFacesOwnBrowLine() {
        // A tall and a short head: their brows sit at different heights, and each forehead's creased band
        // begins just above its own brow line, so the band moves with the brows, not at a fixed height.
        Identity adult = Identities.sample(3, MODEL).atAge(70);
        int height = MODEL.shapeNames().indexOf("head_height");
        double[] browTops = new double[2], lowests = new double[2];
        for (int k = 0; k < 2; k++) {
            float[] betas = new float[MODEL.numShape()];
            betas[height] = k == 0 ? 2.5f : -2.5f;
            Identity id = adult.withBetas(betas);
            NeutralMesh mesh = NeutralMesh.of(id, HEAD);
            float[] d = ExpressionField.of(id, mesh, MODEL).evaluate(expression("browInnerUp", 1), JAW_CLOSED);
            double browTop = FaceFrame.of(mesh).browTop();
            double lowest = Double.MAX_VALUE, peak = 0;
            for (int i = 0; i < mesh.numVertices(); i++) {
                peak = Math.max(peak, Math.abs(d[i * 3 + 2]));
            }
            for (int i = 0; i < mesh.numVertices(); i++) {
                if (Math.abs(d[i * 3 + 2]) > 0.2 * peak) lowest = Math.min(lowest, mesh.vertices()[i * 3 + 1]);
            }
            assertThat(lowest - browTop).as("creases start within 2 cm above the brow line, head %d", k).isBetween(0.0, 0.02);
            browTops[k] = browTop;
            lowests[k] = lowest;
        }
        double browShift = browTops[0] - browTops[1];
        assertThat(Math.abs(browShift)).as("the two brow lines differ").isGreaterThan(0.008);
        assertThat(lowests[0] - lowests[1]).as("the creased band moves with the brows").isCloseTo(browShift, within(0.005));
    }

    @Test
    void offsetsAreNonlinearInTheCoefficients() {
        ExpressionField field = field(Identities.sample(3, MODEL).atAge(70));
        double full = rms(field.evaluate(expression("mouthPucker", 1), JAW_CLOSED));
        double quarter = rms(field.evaluate(expression("mouthPucker", 0.25), JAW_CLOSED));
        assertThat(full).isPositive();
        // One driver: amplitude smoothstep(0.25) = 0.15625 of full, where a linear field would give 0.25.
        assertThat(quarter / full).isCloseTo(0.15625, within(1e-3));
        // Two drivers of one fold combine by a soft maximum, not a sum.
        double both = rms(field.evaluate(expression("mouthPucker", 0.25, "mouthFunnel", 0.25), JAW_CLOSED));
        assertThat(both / quarter).isGreaterThan(1.2).isLessThan(2.0);
    }

    @Test
    void sameIdentityAndExpressionGiveTheSameOffsets() {
        float[] a = field(Identities.sample(8, MODEL)).evaluate(SMILE_BROWS_UP, JAW_CLOSED);
        float[] b = field(Identities.sample(8, MODEL)).evaluate(SMILE_BROWS_UP, JAW_CLOSED);
        float[] c = field(Identities.sample(9, MODEL)).evaluate(SMILE_BROWS_UP, JAW_CLOSED);
        assertThat(Arrays.equals(a, b)).isTrue();
        assertThat(Arrays.equals(a, c)).isFalse();
    }

    private static double correlation(float[] a, float[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
