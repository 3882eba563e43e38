package org.jqmail.tools;

import java.io.IOException;
import java.io.OutputStream;
import org.jqmail.io.ByteBuf;

/**
 * A {@link Splog.Sink} that hands messages to util-linux {@code logger --prio-prefix}: the JDK
 * has no datagram Unix-domain sockets for {@code /dev/log}, and one long-lived {@code logger}
 * child per splogger keeps the cost at one process. Each message is written as
 * {@code <FACILITY+PRIORITY>TEXT} on its own line. If logger goes away, messages are dropped, as
 * syslog(3) drops them when no daemon listens.
 */
final class SysLogger implements Splog.Sink, AutoCloseable {
    private final Process p;
    private final OutputStream out;
    private final int facility;
    private boolean broken;

    private SysLogger(Process p, int facility) {
        this.p = p;
        this.out = p.getOutputStream();
        this.facility = facility;
    }

    /** Starts {@code logger} for {@code tag}; {@code facility} is already multiplied by 8. */
    static SysLogger start(String tag, int facility) throws IOException {
        Process p = new ProcessBuilder("logger", "--prio-prefix", "-t", tag)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new SysLogger(p, facility);
    }

    @Override
    public void log(int priority, byte[] message) {
        if (broken) {
            return;
        }
        ByteBuf b = new ByteBuf(message.length + 16);
        b.append('<').appendUlong(facility + priority).append('>').append(message).append('\n');
        try {
            out.write(b.toByteArray());
            out.flush();
        } catch (IOException e) {
            broken = true;
        }
    }

    @Override
    public void close() {
        try {
            out.close();
            p.waitFor();
        } catch (IOException e) {
            // Logger already gone.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
