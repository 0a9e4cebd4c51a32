package io.github.loomchan;

import java.util.Map;

/** Thread dumps for failure messages: the given threads (virtual ones included) and every platform thread. */
final class ThreadDumps {
    private ThreadDumps() {}

    static String dump(Thread... suspects) {
        StringBuilder out = new StringBuilder();
        for (Thread thread : suspects) {
            appendThread(out, thread, thread.getStackTrace());
        }
        out.append("--- all platform threads ---\n");
        for (Map.Entry<Thread, StackTraceElement[]> entry :
                Thread.getAllStackTraces().entrySet()) {
            appendThread(out, entry.getKey(), entry.getValue());
        }
        return out.toString();
    }

    private static void appendThread(StringBuilder out, Thread thread, StackTraceElement[] stack) {
        out.append('"')
                .append(thread.getName())
                .append("\" ")
                .append(thread.isVirtual() ? "virtual " : "")
                .append(thread.getState())
                .append('\n');
        for (StackTraceElement frame : stack) {
            out.append("    at ").append(frame).append('\n');
        }
    }
}
