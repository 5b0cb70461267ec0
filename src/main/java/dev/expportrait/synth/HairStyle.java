package dev.expportrait.synth;

/** Hair styles of synthetic identities; each shapes the hair volume of the identity offsets D_id differently. */
public enum HairStyle {
    /** A few millimetres over the scalp. */
    SHORT,
    /** Thick hair that falls to about chin height at the back and sides of the neck. */
    BOB,
    /** Thick hair that falls down the back of the neck onto the shoulders. */
    LONG,
    /** Close hair with a bun: a large bump at the back of the head. */
    BUN,
    /** No hair volume. */
    BALD
}
