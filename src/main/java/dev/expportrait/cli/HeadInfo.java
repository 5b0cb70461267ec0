package dev.expportrait.cli;

import dev.expportrait.head.HeadModel;
import dev.expportrait.head.HeadSubset;
import dev.expportrait.head.MeshTopology;
import java.util.List;

/** The text of {@code expportrait head info}. */
final class HeadInfo {
    private HeadInfo() {}

    static String describe(HeadModel m, String source) {
        StringBuilder b = new StringBuilder();
        b.append("model      ").append(m.name()).append("  (").append(source).append(")\n");
        b.append(String.format("vertices   %d%nfaces      %d%njoints     %d%n", m.numVertices(), m.numFaces(), m.numJoints()));
        b.append(String.format("shape      %d directions%nexpression %d directions%npose corr. %d columns%n",
                m.numShape(), m.numExpression(), m.numPoseBasis()));
        b.append(String.format("landmarks  %d%nuv         %s%n", m.numLandmarks(),
                m.hasUvs() ? (m.uvs().length / 2) + " uv vertices" : "none"));
        HeadSubset s = HeadSubset.select(m);
        MeshTopology.Report r = MeshTopology.check(s.faces(), s.numVertices());
        int e = r.numEdges();
        int f = s.numFaces();
        b.append(String.format("head subset S (Eq. 1): %d vertices, %d faces, %d components, %d boundary loops%n",
                s.numVertices(), f, r.components(), r.boundaryLoops()));
        // Midpoint subdivision: V' = V + E, F' = 4F, E' = 2E + 3F.
        b.append(String.format("dense (Eq. 2): level 1 %d vertices / %d faces, level 2 %d vertices / %d faces%n",
                s.numVertices() + e, 4 * f, s.numVertices() + e + 2 * e + 3 * f, 16 * f));
        b.append("\njoints (index name <- parent):\n");
        for (int j = 0; j < m.numJoints(); j++) {
            b.append(String.format("  %2d %-18s <- %d%n", j, m.jointNames().get(j), m.parents()[j]));
        }
        list(b, "shape directions", m.shapeNames());
        list(b, "expression directions", m.expressionNames());
        if (m.hasRegions()) {
            int[] count = new int[m.regionNames().size()];
            for (int r2 : m.regions()) count[r2]++;
            b.append("\nregions:\n");
            for (int i = 0; i < count.length; i++) {
                b.append(String.format("  %-10s %d vertices%n", m.regionNames().get(i), count[i]));
            }
        }
        return b.toString();
    }

    private static void list(StringBuilder b, String title, List<String> names) {
        b.append('\n').append(title).append(" (").append(names.size()).append("):\n");
        int shown = Math.min(names.size(), 400);
        StringBuilder line = new StringBuilder("  ");
        for (int i = 0; i < shown; i++) {
            String item = i + ":" + names.get(i) + "  ";
            if (line.length() + item.length() > 100) {
                b.append(line.toString().stripTrailing()).append('\n');
                line = new StringBuilder("  ");
            }
            line.append(item);
        }
        b.append(line.toString().stripTrailing()).append('\n');
    }
}
