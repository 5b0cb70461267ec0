package dev.expportrait.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class FlatParametersTest {
    private static Parameters network(long seed) {
        Parameters p = new Parameters(seed);
        p.weight("a.weight", 3, 4, 1);
        p.uniform("b.weight", 0.5, 2, 3, 1, 3, 3);
        p.constant("b.bias", 0.25f, 2);
        p.weight("c.weight", 4, 2, 1);
        return p;
    }

    @Test
    void gatheringKeepsEveryParameterObjectAndValue_andTheBufferIsTheirValuesInOrder() {
        Parameters p = network(1);
        Map<String, Tensor> before = new java.util.LinkedHashMap<>();
        p.all().forEach((name, t) -> before.put(name, t.detach().clone()));
        Tensor a = p.all().get("a.weight");
        FlatParameters flat = FlatParameters.of(p.all());
        assertThat(flat.size()).isEqualTo(12 + 54 + 2 + 8);
        assertThat(p.all().get("a.weight")).isSameAs(a);
        float[] all = Tensors.toFloats(flat.values());
        int at = 0;
        for (Map.Entry<String, Tensor> e : p.all().entrySet()) {
            float[] want = Tensors.toFloats(before.get(e.getKey()));
            assertThat(Tensors.shape(e.getValue())).isEqualTo(Tensors.shape(before.get(e.getKey())));
            assertThat(Tensors.toFloats(e.getValue())).containsExactly(want);
            for (float x : want) assertThat(all[at++]).isEqualTo(x);
            assertThat(e.getValue().requires_grad()).isTrue();
        }
        // A write to the buffer is a write to the parameter, and a second gathering finds the same buffer.
        try (NoGradGuard g = new NoGradGuard()) {
            flat.values().narrow(0, 0, 1).fill_(Tensors.scalar(7));
        }
        assertThat(Tensors.toFloats(a)[0]).isEqualTo(7f);
        FlatParameters again = FlatParameters.of(p.all());
        assertThat(again.values().is_alias_of(flat.values())).isTrue();
        assertThat(again.values().storage_offset()).isEqualTo(flat.values().storage_offset());
    }

    @Test
    void gradientsAccumulateIntoTheBufferAcrossBackwardPasses() {
        Parameters p = network(2);
        FlatParameters flat = FlatParameters.of(p.all());
        Tensor a = p.all().get("a.weight"), c = p.all().get("c.weight"), w = p.all().get("b.weight"), bias = p.all().get("b.bias");
        Tensor x = Tensors.floats(new float[] {1, -2, 0.5f}, 1, 3);
        Runnable pass = () -> x.matmul(a).matmul(c).sum().add(w.square().sum()).add(bias.sum().mul(Tensors.scalar(3))).backward();
        pass.run();
        Tensor g1 = flat.gradients().clone();
        // Analytic: d/dbias = 3; d/dw = 2 w; d/da[i][j] = x_i sum_k c[j][k].
        float[] ga = Tensors.toFloats(g1.narrow(0, 0, 12)), cv = Tensors.toFloats(c), xv = {1, -2, 0.5f};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) assertThat(ga[i * 4 + j]).isCloseTo(xv[i] * (cv[j * 2] + cv[j * 2 + 1]), within(1e-5f));
        }
        assertThat(Tensors.toFloats(g1.narrow(0, 66, 2))).containsExactly(3f, 3f);
        float[] wv = Tensors.toFloats(w), gw = Tensors.toFloats(g1.narrow(0, 12, 54));
        for (int i = 0; i < 54; i++) assertThat(gw[i]).isCloseTo(2 * wv[i], within(1e-6f));
        // The parameters' own gradients now live in the buffer: a second pass adds to it in place.
        pass.run();
        Tensor g2 = flat.gradients();
        assertThat(Tensors.toFloats(g2.sub(g1.mul(Tensors.scalar(2))).abs().max())[0]).isLessThan(1e-5f);
        assertThat(Tensors.toFloats(bias.grad())).containsExactly(6f, 6f);
    }

    @Test
    void aStepWithAnUnusedWeightLeavesItAndItsMomentsAlone_andMatchesTheFlatStepOnTheOthers() {
        // Two copies of one network: one uses every weight in every step (the flat step), the other leaves c.weight
        // out of its first two steps (no gradient: each weight stepped alone) and takes it in at the third (the
        // gradients moved into the buffer then). The weights both use must agree to rounding.
        Parameters full = network(3), partial = network(3);
        ParameterAdam adamFull = new ParameterAdam(full.all()), adamPartial = new ParameterAdam(partial.all());
        for (int step = 0; step < 3; step++) {
            for (Parameters p : new Parameters[] {full, partial}) {
                Tensor loss = p.all().get("a.weight").square().sum().add(p.all().get("b.weight").sum()).add(p.all().get("b.bias").square().sum());
                if (p == full || step == 2) loss = loss.add(p.all().get("c.weight").sum().mul(Tensors.scalar(0)));
                loss.backward();
            }
            adamFull.step(0.01, 100, 0.1, name -> name.endsWith(".weight"));
            Tensor cBefore = partial.all().get("c.weight").detach().clone(), mBefore = adamPartial.first().get("c.weight").clone();
            adamPartial.step(0.01, 100, 0.1, name -> name.endsWith(".weight"));
            if (step < 2) {
                assertThat(Tensors.toFloats(partial.all().get("c.weight"))).containsExactly(Tensors.toFloats(cBefore));
                assertThat(Tensors.toFloats(adamPartial.first().get("c.weight"))).containsExactly(Tensors.toFloats(mBefore));
            }
        }
        for (String name : new String[] {"a.weight", "b.weight", "b.bias"}) {
            float[] f = Tensors.toFloats(full.all().get(name)), q = Tensors.toFloats(partial.all().get(name));
            for (int i = 0; i < f.length; i++) assertThat(q[i]).as("%s[%d]", name, i).isCloseTo(f[i], within(1e-6f));
        }
    }
}
