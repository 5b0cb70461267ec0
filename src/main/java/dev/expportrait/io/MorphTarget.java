package dev.expportrait.io;

/**
 * A named blend shape of a {@link TriangleMesh} for glTF: per-vertex position offsets.
 *
 * @param name shown by viewers (stored in mesh.extras.targetNames)
 * @param positionDeltas [V, 3] metres
 */
public record MorphTarget(String name, float[] positionDeltas) {
    public MorphTarget {
        TriangleMesh.requireFinite("morph target '" + name + "'", positionDeltas);
    }
}
