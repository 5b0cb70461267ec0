package dev.expportrait.head;

import java.util.List;

/** SMPL-X joint names and the indices the head stage uses (DESIGN.md: neck 12, head 15, jaw 22, eyes 23/24). */
public final class Joints {
    private Joints() {}

    public static final int PELVIS = 0;
    public static final int SPINE1 = 3;
    public static final int SPINE2 = 6;
    public static final int SPINE3 = 9;
    public static final int NECK = 12;
    public static final int LEFT_COLLAR = 13;
    public static final int RIGHT_COLLAR = 14;
    public static final int HEAD = 15;
    public static final int LEFT_SHOULDER = 16;
    public static final int RIGHT_SHOULDER = 17;
    public static final int JAW = 22;
    public static final int LEFT_EYE = 23;
    public static final int RIGHT_EYE = 24;

    /** The 55 SMPL-X joints in file order. */
    public static final List<String> SMPLX_NAMES = List.of(
            "pelvis", "left_hip", "right_hip", "spine1", "left_knee", "right_knee", "spine2",
            "left_ankle", "right_ankle", "spine3", "left_foot", "right_foot", "neck", "left_collar",
            "right_collar", "head", "left_shoulder", "right_shoulder", "left_elbow", "right_elbow",
            "left_wrist", "right_wrist", "jaw", "left_eye_smplhf", "right_eye_smplhf",
            "left_index1", "left_index2", "left_index3", "left_middle1", "left_middle2", "left_middle3",
            "left_pinky1", "left_pinky2", "left_pinky3", "left_ring1", "left_ring2", "left_ring3",
            "left_thumb1", "left_thumb2", "left_thumb3",
            "right_index1", "right_index2", "right_index3", "right_middle1", "right_middle2", "right_middle3",
            "right_pinky1", "right_pinky2", "right_pinky3", "right_ring1", "right_ring2", "right_ring3",
            "right_thumb1", "right_thumb2", "right_thumb3");

    /** SMPL-X parents of joints 0..24 (the body, jaw and eyes), -1 for the root. */
    public static final int[] SMPLX_BODY_PARENTS = {
            -1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 15, 15, 15};
}
