package dev.expportrait.synth;

import dev.expportrait.head.DenseHead;
import dev.expportrait.head.HeadModel;
import dev.expportrait.head.builtin.BuiltinHead;
import dev.expportrait.head.HeadSubset;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** The built-in head and its one-level dense mesh, built once for all synth test classes. */
final class SynthFixture {
    private SynthFixture() {}

    static final HeadModel MODEL = BuiltinHead.generate(); // not HeadModels.builtin(): tests leave ~/.cache alone
    static final DenseHead HEAD = new DenseHead(MODEL, HeadSubset.select(MODEL), 1, ScalarType.Float);

    /** Expression coefficients [E] with the named directions set. */
    static float[] expression(Object... nameValue) {
        float[] e = new float[MODEL.numExpression()];
        for (int i = 0; i < nameValue.length; i += 2) {
            int k = MODEL.expressionNames().indexOf((String) nameValue[i]);
            if (k < 0) {
                throw new IllegalArgumentException("no expression direction " + nameValue[i]);
            }
            e[k] = ((Number) nameValue[i + 1]).floatValue();
        }
        return e;
    }

    static double rms(float[] offsets) {
        double s = 0;
        for (float v : offsets) s += v * v;
        return Math.sqrt(s / (offsets.length / 3));
    }
}
