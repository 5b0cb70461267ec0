package dev.expportrait.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expportrait.head.DenseHead;
import dev.expportrait.head.HeadModel;
import dev.expportrait.head.HeadSubset;
import dev.expportrait.head.PinholeCamera;
import dev.expportrait.head.Rodrigues;
import dev.expportrait.head.builtin.BuiltinHead;
import dev.expportrait.tensor.Tensors;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

/**
 * The renderer is good enough to fit with: a head rotated by 5 degrees and shifted by several millimetres
 * is brought back by Adam on rotation and translation against a target normal map and mask alone.
 */
class PoseRecoveryTest {
    @Test
    void adamRecoversRotationAndTranslationFromNormalMapAndMask() {
        HeadModel m = BuiltinHead.generate();
        DenseHead head = new DenseHead(m, HeadSubset.select(m), 0, ScalarType.Float);
        Tensor rest = head.pose(Tensors.zeros(ScalarType.Float, 1, m.numShape()), null, head.zeroPose(1), null, null, null).vertices().detach();
        float[] v = Tensors.toFloats(rest);
        double[] centre = m.restJoint(15); // rotate about the head joint
        // Frame the head and neck only: about 1.3 mm per pixel.
        PinholeCamera cam = PinholeCamera.facing(new double[] {0, 0.17, 0.03}, 1.2, 14, 200, 200);
        int[] faces = head.faces();
        EdgeTopology topo = EdgeTopology.of(faces);
        MapRenderer.Maps target = MapRenderer.render(rest, faces, topo, cam, true, null);
        Tensor targetNormal = target.normal().detach();
        Tensor targetMask = target.mask().detach();
        Tensor c = Tensors.doubles(centre, 1, 1, 3).to(ScalarType.Float);

        // Parameters scaled so one learning rate suits both: rotation in units of 0.05 rad, translation of 1 cm.
        double degrees5 = Math.toRadians(5);
        double[] axis = {0.48, 0.6, 0.64};
        Tensor rot = Tensors.doubles(new double[] {axis[0] * degrees5 / 0.05, axis[1] * degrees5 / 0.05, axis[2] * degrees5 / 0.05}, 1, 3)
                .to(ScalarType.Float).set_requires_grad(true);
        Tensor shift = Tensors.floats(new float[] {0.6f, -0.4f, 0.8f}, 1, 3).set_requires_grad(true);
        Adam adam = new Adam(new TensorVector(rot, shift), new AdamOptions(0.03));
        for (int iter = 0; iter < 100; iter++) {
            try (PointerScope scope = new PointerScope()) {
                adam.zero_grad();
                Tensor r = Rodrigues.toMatrix(rot.mul(new Scalar(0.05))); // [1, 3, 3]
                Tensor moved = rest.sub(c).matmul(r.transpose(1, 2)).add(c).add(shift.mul(new Scalar(0.01)).unsqueeze(1));
                MapRenderer.Maps maps = MapRenderer.render(moved, faces, topo, cam, true, null);
                Tensor loss = maps.normal().sub(targetNormal).square().mean()
                        .add(maps.mask().sub(targetMask).square().mean().mul(new Scalar(4)));
                loss.backward();
                adam.step();
            }
        }
        double angleDeg = Math.toDegrees(rot.mul(new Scalar(0.05)).norm().item_double());
        double[] t = Tensors.toDoubles(shift.mul(new Scalar(0.01)));
        double shiftMm = 1000 * Math.sqrt(t[0] * t[0] + t[1] * t[1] + t[2] * t[2]);
        assertThat(angleDeg).as("rotation error, degrees").isLessThan(0.3);
        assertThat(shiftMm).as("translation error, mm").isLessThan(1.0);
    }
}
