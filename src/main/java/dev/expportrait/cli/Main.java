package dev.expportrait.cli;

/** Entry point of the expportrait command-line tool (filled in by the CLI work). */
public final class Main {
    public static void main(String[] args) {
        System.out.println("expportrait");
    }
}
