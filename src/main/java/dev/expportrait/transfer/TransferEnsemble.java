package dev.expportrait.transfer;

import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * Several independently trained modules of Sec. 3.2 whose predictions are averaged: each member's D_exp,t
 * (Eq. 9) errs partly at random (its seed, its draws of frames and vertices), and the mean of four had a held-out
 * vertex error of 0.00375 mm against 0.00385 for the best single run (BENCHMARKS.md). Costs one prediction per
 * member.
 *
 * @param members at least one, all for the same head model, level and expression coefficients
 */
public record TransferEnsemble(List<TransferModel> members) implements TransferModule {
    public TransferEnsemble {
        members = List.copyOf(members);
        if (members.isEmpty()) throw new IllegalArgumentException("an ensemble needs at least one member");
        TransferModel first = members.get(0);
        for (TransferModel m : members) {
            if (!m.headModel().equals(first.headModel()) || m.level() != first.level() || m.numExpression() != first.numExpression()) {
                throw new IllegalArgumentException("ensemble members differ: model " + first.headModel() + " level " + first.level() + " with "
                        + first.numExpression() + " expression coefficients, and model " + m.headModel() + " level " + m.level() + " with "
                        + m.numExpression());
            }
        }
    }

    @Override
    public String headModel() {
        return members.get(0).headModel();
    }

    @Override
    public int level() {
        return members.get(0).level();
    }

    @Override
    public int numExpression() {
        return members.get(0).numExpression();
    }

    @Override
    public long parameterCount() {
        return members.stream().mapToLong(TransferModel::parameterCount).sum();
    }

    /** The mean of the members' {@link TransferModel#predict}: [T, Nf, 3] metres. */
    @Override
    public float[] predict(Tensor features, float[] drivers) {
        float[] mean = null;
        for (TransferModel m : members) {
            float[] p = m.predict(features, drivers);
            if (mean == null) {
                mean = p;
            } else {
                for (int i = 0; i < p.length; i++) mean[i] += p[i];
            }
        }
        float n = members.size();
        for (int i = 0; i < mean.length; i++) mean[i] /= n;
        return mean;
    }
}
