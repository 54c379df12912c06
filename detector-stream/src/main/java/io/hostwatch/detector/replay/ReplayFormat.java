package io.hostwatch.detector.replay;

/** How replay prints: {@code table} for people, {@code jsonl} for tools, {@code summary} for a post-mortem. */
enum ReplayFormat {
    TABLE,
    JSONL,
    SUMMARY
}
