package io.github.loomchan;

/** The kinds of thread the blocking tests run their actors on. */
enum ThreadKind {
    PLATFORM,
    VIRTUAL;

    /** Starts {@code body} on a new thread of this kind. */
    Thread start(String name, Runnable body) {
        return switch (this) {
            case PLATFORM -> Thread.ofPlatform().name(name).daemon(true).start(body);
            case VIRTUAL -> Thread.ofVirtual().name(name).start(body);
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
