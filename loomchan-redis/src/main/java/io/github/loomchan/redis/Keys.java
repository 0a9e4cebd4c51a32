package io.github.loomchan.redis;

import java.nio.charset.StandardCharsets;

/**
 * The Redis keys of one channel. All of them carry the hash tag {@code {loomchan:NAME}}, so Redis Cluster stores
 * them in one slot and a script may touch them all. Immutable.
 */
final class Keys {
    static final String PREFIX = "loomchan:";

    final String name;
    final String tag;
    /** meta, ready, inflight, leases, lanes, dead, tokens: the order the Lua script expects. */
    final byte[][] all;

    final byte[] ready;
    final byte[] inflight;
    final byte[] events;
    final String eventsName;

    Keys(String name) {
        this.name = validate(name);
        this.tag = "{" + PREFIX + name + "}";
        String[] names = {
            tag + ":meta",
            tag + ":ready",
            tag + ":inflight",
            tag + ":leases",
            tag + ":lanes",
            tag + ":dead",
            tag + ":tokens"
        };
        all = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            all[i] = names[i].getBytes(StandardCharsets.UTF_8);
        }
        ready = all[1];
        inflight = all[2];
        eventsName = tag + ":events";
        events = eventsName.getBytes(StandardCharsets.UTF_8);
    }

    static String validate(String name) {
        if (name == null) {
            throw new NullPointerException("name");
        }
        if (name.isEmpty() || name.length() > 200 || name.indexOf('{') >= 0 || name.indexOf('}') >= 0) {
            throw new IllegalArgumentException(
                    "channel name must be 1 to 200 characters without '{' or '}', but was '" + name + "'");
        }
        return name;
    }
}
