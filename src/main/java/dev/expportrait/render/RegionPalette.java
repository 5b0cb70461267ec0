package dev.expportrait.render;

import java.util.List;
import java.util.Map;

/** Plain per-region albedo for previews of a head model (skin, hair, lips, eyes, clothing). */
public final class RegionPalette {
    private RegionPalette() {}

    private static final float[] SKIN = {0.80f, 0.62f, 0.52f};
    private static final Map<String, float[]> COLORS = Map.of(
            "face", SKIN,
            "ears", new float[] {0.78f, 0.58f, 0.49f},
            "neck", new float[] {0.78f, 0.60f, 0.50f},
            "scalp", new float[] {0.23f, 0.16f, 0.11f},
            "lips", new float[] {0.72f, 0.38f, 0.38f},
            "eyes", new float[] {0.85f, 0.85f, 0.82f},
            "shoulders", new float[] {0.25f, 0.36f, 0.55f});

    /**
     * @param regions [V] region index per vertex, or null (all skin)
     * @param names region names by index; unknown names are skin
     * @return [V, 3] colours in [0, 1]
     */
    public static float[] colors(int[] regions, List<String> names, int numVertices) {
        float[] out = new float[numVertices * 3];
        for (int v = 0; v < numVertices; v++) {
            float[] c = regions == null ? SKIN : COLORS.getOrDefault(names.get(regions[v]), SKIN);
            System.arraycopy(c, 0, out, v * 3, 3);
        }
        return out;
    }
}
