package io.hostwatch.runtime.ops;

/** What {@code GET /health} answers: 200 when {@code up}, 503 otherwise, with a one-line {@code detail}. */
public record Health(boolean up, String detail) {
    public static Health up(String detail) {
        return new Health(true, detail);
    }

    public static Health down(String detail) {
        return new Health(false, detail);
    }
}
